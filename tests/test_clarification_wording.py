"""澄清函 wording: whatever a user types for 被反映的问题 and 调查认定的事实, the generated .docx reads as a formal
letter — no word said twice at the joins (反映…反映其, 问题问题, 核实，经查), no punctuation pile-ups (。，), and the
conclusion 不属实 once.

Found on a tester's walk: 被反映的问题 "反映其在拆迁安置房分配中暗箱操作" and a finding ending in "。" gave
"我委收到反映……黄某忠同志反映其在……" and "……反映问题不属实。，反映的问题不属实。".
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document

from planner.followup.clarification import ClarificationLetter, render_letter

MATTERS = [
    "反映其在拆迁安置房分配中暗箱操作",
    "反映其在拆迁安置房分配中暗箱操作。",
    "反映黄某忠同志在拆迁安置房分配中暗箱操作；",
    "在拆迁安置房分配中暗箱操作的问题，",
    "信访人反映其在拆迁安置房分配中暗箱操作问题。",
    "  在拆迁安置房分配中暗箱操作  ",
]
FINDINGS = [
    "安置房分配方案经村民代表会议表决并公示，分配程序合法合规，反映问题不属实。",
    "安置房分配方案经村民代表会议表决并公示，分配程序合法合规。",
    "经查，安置房分配方案经村民代表会议表决并公示，分配程序合法合规；",
    "经调查核实：安置房分配方案经村民代表会议表决并公示，反映的问题不属实，",
    "安置房分配方案经村民代表会议表决并公示。，分配程序合法合规",
    "反映问题不属实。安置房分配方案经村民代表会议表决并公示，黄某忠同志未参与评分。",
]


def _body(matter: str, finding: str, *, title: str = "某村党支部书记") -> str:
    letter = ClarificationLetter(cadre="黄某忠", cadre_title=title, matter=matter, finding=finding,
                                 addressee="中共某镇委员会", issued_date=dt.date(2026, 12, 7),
                                 received_date=dt.date(2026, 6, 3))
    paras = [p.text for p in Document(io.BytesIO(render_letter(letter))).paragraphs if p.text.strip()]
    body = next(p for p in paras if "我委收到" in p)
    assert body == letter.paragraphs()[0]  # the stored text says the same as the document
    return body


def _assert_formal(body: str) -> None:
    assert body.count("反映") == 1 + body.count("反映问题") + body.count("反映的问题"), body
    assert "反映其" not in body and "同志同志" not in body and "同志在" in body, body
    assert "问题问题" not in body and "暗箱操作问题的信访举报" in body, body
    assert "核实，经" not in body and body.count("核实") == 1, body
    assert not re.search(r"[，。；、：,;.]{2,}", body), body
    assert len(re.findall("不属实|不实", body)) == 1, body  # the conclusion once
    assert body.endswith("。") and not body.endswith("。。"), body


@pytest.mark.parametrize("matter", MATTERS)
@pytest.mark.parametrize("finding", FINDINGS)
def test_letter_reads_as_a_formal_document(matter: str, finding: str) -> None:
    body = _body(matter, finding)
    _assert_formal(body)
    assert body.startswith("2026年6月3日，我委收到反映某村党支部书记黄某忠同志在拆迁安置房分配中暗箱操作问题的"
                           "信访举报。经带信下访实地调查核实，"), body
    assert "安置房分配方案经村民代表会议表决并公示" in body


def test_the_testers_input() -> None:
    body = _body("反映其在拆迁安置房分配中暗箱操作", "安置房分配经公示，程序合规，反映问题不属实。", title="")
    assert body == ("2026年6月3日，我委收到反映黄某忠同志在拆迁安置房分配中暗箱操作问题的信访举报。"
                    "经带信下访实地调查核实，安置房分配经公示，程序合规，反映问题不属实。")


def test_a_finding_without_conclusion_gets_it_once() -> None:
    body = _body("在拆迁安置房分配中暗箱操作", "安置房分配经公示，程序合规。")
    assert body.endswith("经带信下访实地调查核实，安置房分配经公示，程序合规，反映的问题不属实。")


def test_words_that_only_look_like_openings_are_kept() -> None:
    body = _body("反映其他村干部在拆迁安置房分配中暗箱操作", "经查阅分配档案，程序合规")
    assert "黄某忠同志其他村干部在拆迁安置房分配中暗箱操作问题" in body
    assert body.endswith("经带信下访实地调查核实，经查阅分配档案，程序合规，反映的问题不属实。")
