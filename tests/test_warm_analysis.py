"""The app loads 关联分析's dictionaries and meaning model in the background at start (walk B: its first open took
8 s, the analysis 0.6 s)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_PROBE = """
import json, sys
from planner.analysis import semantic, textmine
from planner.analysis.warm import _SAMPLE, warm_up
before = textmine.tokenizer.cache_info().currsize == 1
took = warm_up()
encoded = all(semantic.prepared(text) in semantic._cache for text, _ in _SAMPLE)
after = textmine.tokenizer.cache_info().currsize == 1
print(json.dumps({"before": before, "after": after, "took": took,
                  "semantic": semantic.available(), "encoded": encoded}))
"""


def test_warm_up_loads_the_segmenter_and_the_meaning_model_in_a_fresh_process() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["before"] is False and got["after"] is True
    assert got["took"] > 0
    # With the bundled model available, the sample letters were encoded (the model is loaded and has run once).
    assert got["encoded"] is got["semantic"]


def test_a_failing_warm_up_never_raises(monkeypatch, caplog) -> None:
    import planner.analysis.clustering as clustering
    from planner.analysis.warm import warm_up

    def broken(*_a, **_k):
        raise OSError("dictionary missing")

    monkeypatch.setattr(clustering, "analyse", broken)
    with caplog.at_level("INFO", logger="planner.analysis.warm"):
        assert warm_up() >= 0
    assert "关联分析预载失败" in caplog.text and "OSError" in caplog.text


def test_the_app_starts_the_warm_up_once_per_process(tmp_path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    import pages.common as common
    import planner.analysis.warm as warm

    calls: list[str] = []
    monkeypatch.setattr(warm, "warm_up", lambda: calls.append(threading.current_thread().name) or 0.0)
    common.warm_analysis.clear()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("XIAFANG_DEMO", "0")
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(tmp_path))
    try:
        for _ in range(2):
            AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        common.warm_analysis().join(timeout=30)
    finally:
        common.warm_analysis.clear()
    assert calls == ["xiafang-warm-analysis"]  # once, in its own thread, however many runs and sessions
