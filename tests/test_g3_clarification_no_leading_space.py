"""澄清函: no line of the generated letter starts with a space, whatever spaces the user's pasted text carries
(a 文号, 职务 or 抄送 pasted with a leading full-width space began its line, or the body, with one)."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document

from planner.followup.clarification import ClarificationLetter, render_letter

LETTER = ClarificationLetter(
    cadre="　李某某", cadre_title="\u3000华丰镇党委书记 ", matter=" 将扶贫资金私分", finding="\n资金使用符合规定",
    addressee="  中共华安县华丰镇委员会", issued_date=dt.date(2026, 12, 7), document_no="\u3000漳纪函〔2026〕12号",
    cc=" 华安县纪委监委",
)


def test_no_line_of_the_document_starts_with_a_space() -> None:
    texts = [p.text for p in Document(io.BytesIO(render_letter(LETTER))).paragraphs if p.text]
    assert "漳纪函〔2026〕12号" in texts and "抄送：华安县纪委监委" in texts
    assert [t for t in texts if t != t.lstrip()] == []
    body = next(t for t in texts if t.startswith("我委收到"))
    assert "反映华丰镇党委书记李某某同志将扶贫资金私分问题" in body


def test_no_line_of_the_stored_text_starts_with_a_space() -> None:
    lines = LETTER.text().splitlines()
    assert lines[1] == "漳纪函〔2026〕12号"
    assert [line for line in lines if line != line.lstrip()] == []
