"""Urgency as registers write it (紧急程度 特急/紧急/一般, 高/中/低, 1–5) -> the case's severity (1 minor .. 5 grave).

选件 ranks on the case's severity (``planner.selection.ranking.score_case``); a register's 紧急程度 column sets it.
A word that is not understood is never guessed: the case keeps the default severity, the import says so row by
row, and the word stays on the case as written (the column is also kept among the register's own columns).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: Severity of a case whose register says nothing about urgency (the domain's default).
DEFAULT_SEVERITY = 3

#: How registers write urgency, importance or gravity, by the severity each means read alone. Where the levels come
#: from: 紧急程度 of official documents is 特急 above 加急 (GB/T 9704-2012《党政机关公文格式》; telegrams
#: 特提/特急/加急/平急); registers add 紧急 and 一般/平件. Gravity is written in the four levels of 《突发事件应对法》
#: (特别重大/重大/较大/一般) or as 特别严重/严重/较重/一般. Word by word 紧急 and 较急 are both 4; an import reads a
#: register's levels as a whole and keeps their order (紧急/较急/一般 → 5/4/3, :mod:`planner.intake.register_levels`).
_WORDS_BY_SEVERITY: dict[int, tuple[str, ...]] = {
    5: ("特急", "特提", "特别紧急", "非常紧急", "十分紧急", "万急", "火急", "十万火急", "极急", "特快",
        "极高", "最高", "很高", "非常高", "特别重要", "非常重要", "特别严重", "非常严重", "极严重", "重大",
        "特别重大", "特大"),
    4: ("紧急", "加急", "急", "急件", "急办", "较急", "比较紧急", "平急", "紧", "高", "较高", "重要", "较重要",
        "严重", "较严重", "较重", "较大", "优先", "紧要"),
    3: ("一般", "普通", "平件", "平", "常规", "正常", "中", "中等", "一般紧急", "一般重要", "一般严重", "非紧急",
        "不紧急", "不急", "平常", "常件", "无"),
    2: ("缓", "缓办", "缓件", "较缓", "暂缓", "可缓", "低", "较低", "轻", "较轻", "轻微", "次要", "不重要"),
    1: ("很低", "极低", "最低", "非常低", "极轻微"),
}
URGENCY_WORDS: dict[str, int] = {w: s for s, words in _WORDS_BY_SEVERITY.items() for w in words}
#: The severity scale in words, as the import preview shows it.
SEVERITY_WORDS = {5: "最急", 4: "急", 3: "一般", 2: "缓", 1: "最缓"}
_HINT = "可写 特急、加急、紧急、一般、平件、缓，高、中、低，或 1–5 的数字（5 最急）"


def _norm(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text_ = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"[\s\[\]()（）【】“”\"'‘’]+", "", text_)


def _written(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def is_number(value: object) -> bool:
    """True when the cell is a plain number 1–5 (read on the system's scale: 1 least, 5 most urgent)."""
    return bool(re.fullmatch(r"[1-5](?:\.0+)?", _norm(value)))


def read_urgency(value: object) -> int | None:
    """The severity (1..5) a register's urgency cell means; None for an empty cell or a word not understood.

    ``特急`` 5, ``紧急``/``加急``/``急`` 4, ``一般``/``普通``/``平件`` 3, ``缓`` 2; ``高``/``中``/``低`` 4/3/2;
    the numbers 1–5 as written (5 most urgent, as the system's own scale). ``特急件``, ``（紧急）``, ``★★★`` are read
    too. ``一级``/``二级`` are not: offices number levels both ways, so a guess could turn the most urgent letter
    into the least.
    """
    text_ = _norm(value)
    if not text_:
        return None
    if is_number(value):
        return int(float(text_))
    if re.fullmatch(r"★{1,5}", text_):
        return len(text_)
    if text_ in URGENCY_WORDS:
        return URGENCY_WORDS[text_]
    if text_.endswith(("件", "办")) and text_[:-1] in URGENCY_WORDS:  # 特急件, 普通件, 加急办
        return URGENCY_WORDS[text_[:-1]]
    return None


def severity_of(value: object) -> tuple[int | None, str]:
    """The severity for a case from its urgency cell and, when the cell is not understood, what to tell people.

    Returns
    -------
    tuple[int | None, str]
        (severity, "") when understood; (None, "") for an empty cell (the default severity applies, as
        without the column); (:data:`DEFAULT_SEVERITY`, message) for a word not understood.
    """
    written = _written(value)
    if not written:
        return None, ""
    severity = read_urgency(value)
    if severity is not None:
        return severity, ""
    return DEFAULT_SEVERITY, (f"紧急程度“{written[:20]}”无法识别（{_HINT}），严重程度按 {DEFAULT_SEVERITY}"
                              f"（{SEVERITY_WORDS[DEFAULT_SEVERITY]}）计，原文保留在信访件上")


def numbers_note(header: str, cells: Iterable[object]) -> str:
    """A once-per-file note when the urgency column holds numbers: how they are read ("" when it holds none)."""
    if not any(is_number(c) for c in cells):
        return ""
    return (f"「{header}」中的数字按 1 最缓、5 最急读取（与系统的严重程度相同）；"
            "如果本表 1 表示最急，请在登记表中改写成 特急、紧急、一般 后再导入")
