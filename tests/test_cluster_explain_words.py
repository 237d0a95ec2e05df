"""An explanation never claims a word a letter does not write: a matter word the lexicon folded from another
(建房审批 -> 宅基地, 采伐 -> 砍伐) is shown with each letter's own words."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.review import near_misses
from planner.analysis.wording import shown_term

LETTERS = [
    Letter("S1", "石榴镇某村干部强行收取建房审批费，每户两千元。", dt.date(2026, 8, 23), address="漳浦县石榴镇"),
    Letter("S2", "白礁村村干部优亲厚友分配宅基地，群众建房审批无门。", dt.date(2026, 10, 21),
           address="龙海区角美镇白礁村"),
    Letter("S3", "杏陈镇某村村干部多占宅基地，建房审批收费。", dt.date(2026, 9, 27), address="东山县杏陈镇"),
]


def test_shown_term_names_each_letters_own_words():
    assert shown_term("宅基地", "强行收取建房审批费", "多占宅基地") == "宅基地（原文：建房审批 / 宅基地）"
    assert shown_term("宅基地", "分配宅基地", "多占宅基地") == "宅基地"


def _claims(reason: str) -> list[str]:
    """The words an evidence line names (after its colon), without their 原文 notes."""
    body = reason.split("：", 1)[1] if "：" in reason else ""
    return [w.split("（", 1)[0] for w in body.split("、") if w]


def test_every_word_an_explanation_names_is_in_both_letters_or_annotated():
    res = analyse(LETTERS)
    by_id = {x.letter_id: x for x in LETTERS}
    lines = []
    for a, b in (("S1", "S2"), ("S1", "S3"), ("S2", "S3")):
        lines += [(a, b, r) for r in res.explain(a, b).reasons() if r.startswith("共同关键词")]
    lines += [(m.a_id, m.b_id, r) for m in near_misses(res) for r in m.evidence_for
              if r.startswith(("共同关键词", "共同核心事项"))]
    assert lines, "the letters share matter words"
    for a, b, line in lines:
        for word, shown in zip(_claims(line), line.split("：", 1)[1].split("、"), strict=True):
            if word in by_id[a].text and word in by_id[b].text:
                continue
            assert "原文：" in shown, (line, word)
