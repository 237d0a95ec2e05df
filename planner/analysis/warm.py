"""Load what 关联分析 needs before anyone asks for it.

The first analysis in a server process waits about five seconds for the segmenter's dictionaries, the gazetteer's
place index, the office lexicon and the bundled meaning model (walk B: 关联分析's first open took 8 s while the
analysis itself took 0.6 s). The app runs :func:`warm_up` once per process in a background thread at start, so that
the page opens at the speed of the analysis.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

log = logging.getLogger(__name__)

#: Two invented letters of one matter (no real person or place below village level): enough to load every table.
_SAMPLE = (
    ("平和县山格镇林业站办理桉树采伐证时收取砍伐保证金，每亩三百元，至今未退。", "平和县山格镇"),
    ("南靖县书洋镇林业站要求林农先交押金才给办采伐手续，交了不退。", "南靖县书洋镇"),
)


def warm_up() -> float:
    """Analyse two sample letters once, which loads the dictionaries, the place index and the meaning model (when it
    is available and switched on). Returns the seconds it took; never raises (a failure here only means the first
    real analysis loads them itself, and reports any error there)."""
    from planner.analysis.clustering import Letter, analyse

    started = time.perf_counter()
    try:
        analyse([Letter(f"warm-{k}", text, dt.date(2026, 1, 5 + k), address=address)
                 for k, (text, address) in enumerate(_SAMPLE)])
    except Exception as exc:
        log.info("关联分析预载失败（首次分析时再载入）：%s", type(exc).__name__)
    return time.perf_counter() - started
