"""澄清函: official-letter layout in Chinese, stored with the record, never naming the petitioner."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from sqlalchemy import select

from planner.errors import InputError
from planner.followup.clarification import (
    ClarificationLetter,
    clarification_document,
    cn_date,
    issue_clarification,
    letter_file_name,
    render_letter,
)
from planner.store.models import CaseRow, ClarificationRow, PetitionerRow, VisitOutcomeRow

LETTER = ClarificationLetter(
    cadre="李某某",
    cadre_title="华丰镇党委书记",
    matter="将产业扶贫专项资金拨给家庭农场后私分给贫困户",
    finding="华丰镇采取“龙头企业+乡镇+贫困户”的产业发展模式，资金使用符合政策规定",
    addressee="中共华安县华丰镇委员会",
    issued_date=dt.date(2026, 12, 7),
    received_date=dt.date(2026, 6, 3),
    issuing_organ="中共华安县纪律检查委员会 华安县监察委员会",
    document_no="华纪函〔2026〕12号",
)


def _paragraphs(data: bytes):
    return [p for p in Document(io.BytesIO(data)).paragraphs if p.text.strip()]


def test_letter_layout_title_addressee_body_organ_date() -> None:
    paras = _paragraphs(render_letter(LETTER))
    texts = [p.text for p in paras]
    assert texts[:3] == ["中共华安县纪律检查委员会", "华安县监察委员会", "华纪函〔2026〕12号"]
    title = next(p for p in paras if p.text == "关于李某某同志有关问题的澄清函")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    i = texts.index("中共华安县华丰镇委员会：")
    body = paras[i + 1]
    assert body.text.startswith("2026年6月3日，我委收到反映华丰镇党委书记李某某同志将产业扶贫专项资金")
    assert "反映的问题不属实" in body.text
    assert body.paragraph_format.first_line_indent is not None  # two-character indent
    assert "特此函告。" in texts
    assert texts[-3:] == ["中共华安县纪律检查委员会", "华安县监察委员会", "2026年12月7日"]
    assert paras[-1].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    fonts = body.runs[0]._element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


@pytest.mark.parametrize(("field", "label"), [("cadre", "被澄清干部"), ("matter", "反映事项"), ("finding", "核查结论"),
                                             ("addressee", "送达单位")])
def test_missing_content_is_named(field: str, label: str) -> None:
    kwargs = {"cadre": "李某某", "matter": "m", "finding": "f", "addressee": "a", "issued_date": dt.date(2026, 1, 1)}
    kwargs[field] = "  "
    with pytest.raises(InputError, match=label):
        ClarificationLetter(**kwargs)


def test_cn_date_and_file_name() -> None:
    assert cn_date(dt.date(2026, 1, 5)) == "2026年1月5日"
    assert letter_file_name(LETTER, "ZZ/2026 1") == "澄清函-ZZ_2026_1-李某某-2026-12-07.docx"


def test_issue_stores_letter_marks_case_and_leaves_petitioner_out(session) -> None:
    case = CaseRow(case_no="HA-2026-07", received_date=dt.date(2026, 6, 3), deadline=dt.date(2026, 8, 2),
                   content="反映扶贫资金被私分", status="visited")
    case.petitioner = PetitionerRow(name="王五六", phone="13900001111")
    session.add(case)
    session.flush()
    session.add(VisitOutcomeRow(case_id=case.id, visit_date=dt.date(2026, 7, 1), result="visited",
                                report_true=False, recorded_by="纪检干部"))  # the visit that found it untrue
    cid, data = issue_clarification(session, "HA-2026-07", LETTER, who="纪检干部", scope="华丰镇党政班子会议")
    session.commit()
    row = session.get(ClarificationRow, cid)
    assert row.cadre == "华丰镇党委书记李某某" and row.scope == "华丰镇党政班子会议"
    assert "特此函告。" in row.text
    assert clarification_document(session, cid) == (row.document_name, data)
    assert session.scalars(select(CaseRow.status)).one() == "clarified"
    everything = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs) + row.text
    assert "王五六" not in everything and "13900001111" not in everything


@pytest.mark.parametrize(
    ("finding", "expected"),
    [
        ("经查，王某某未在企业任职，工程依法公开招标，反映不实。",
         "经带信下访实地调查核实，王某某未在企业任职，工程依法公开招标，反映不实。"),
        ("经核实：资金使用符合规定，反映的问题不属实",
         "经带信下访实地调查核实，资金使用符合规定，反映的问题不属实。"),
        ("资金使用符合政策规定", "经带信下访实地调查核实，资金使用符合政策规定，反映的问题不属实。"),
    ],
)
def test_a_finding_written_as_in_a_report_is_not_said_twice(finding: str, expected: str) -> None:
    """Found on a user walk: "经查，……，反映不实" gave "核实，经查，……反映不实，反映的问题不属实"."""
    from dataclasses import replace

    body = replace(LETTER, finding=finding).paragraphs()[0]
    assert body.endswith(expected)
    assert body.count("经查") == 0 and body.count("不属实") + body.count("不实") == 1


@pytest.mark.parametrize("status", ["registered", "selected", "planned"])
def test_no_clarification_for_a_letter_nobody_has_looked_into(session, status: str) -> None:
    """The re-walk: a 澄清函 saying 经调查核实…不属实 was issued for a letter still 已登记, and marked it 已澄清."""
    case = CaseRow(case_no="HA-2026-08", received_date=dt.date(2026, 6, 3), deadline=dt.date(2026, 8, 2),
                   content="反映扶贫资金被私分", status=status)
    session.add(case)
    session.flush()
    with pytest.raises(InputError, match="尚无走访调查记录"):
        issue_clarification(session, "HA-2026-08", LETTER, who="纪检干部")
    assert session.scalar(select(ClarificationRow.id)) is None
    assert case.status == status
    # Once a visit is recorded (the report found untrue), the letter may be issued.
    session.add(VisitOutcomeRow(case_id=case.id, visit_date=dt.date(2026, 12, 3), result="visited",
                                report_true=False, recorded_by="纪检干部"))
    session.flush()
    issue_clarification(session, "HA-2026-08", LETTER, who="纪检干部")
    assert case.status == "clarified"


@pytest.mark.parametrize("cadre", ["角美镇林业站工作人员", "山格镇人民政府", "某村委会", "镇卫生院"])
def test_a_unit_is_no_cadre_to_clear(cadre: str) -> None:
    """Walk G: 角美镇林业站工作人员 made “关于角美镇林业站工作人员同志有关问题的澄清函”."""
    with pytest.raises(InputError, match="被澄清干部应填一位干部的姓名"):
        ClarificationLetter(cadre=cadre, matter="收取保证金", finding="经查不实", addressee="中共某镇委员会",
                            issued_date=dt.date(2026, 12, 7))
    letter = ClarificationLetter(cadre="林某某", cadre_title="角美镇林业站站长", matter="收取保证金",
                                 finding="经查不实", addressee="中共某镇委员会", issued_date=dt.date(2026, 12, 7))
    assert letter.title == "关于林某某同志有关问题的澄清函"
