"""One writer, two matters at one village (walk W8, run 76): 关联分析 keeps 养老金冒领 and 鱼塘发包 apart, but the
store chained every letter of one writer — 选件 took the second letter along with the first, settling the first
settled the second (随本件一并办结), feedback recorded on one closed the other's 双反馈 gap, and the statistics
counted a 重复信访 chain. A repeat chain is one writer *and* one matter everywhere; a letter that says it writes
again (再次反映) about the same matter in other words, without the ID number, is still chained."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from planner.domain import CaseStatus
from planner.followup.feedback import missing_feedback, record_feedback
from planner.followup.stats import _repeat_case_ids
from planner.intake.register import import_register
from planner.selection.repeats import whole_chains
from planner.store.cases import chain_mates, get_case_row, load_cases, set_status, settles_along
from planner.store.clusters import recluster
from planner.store.database import session_scope
from planner.store.models import CaseRow

#: (编号, 收件日期, 信访人, 联系电话, 身份证号, 问题发生地, 反映内容)
ROWS = (
    ("W8-0001", "2026-08-10", "林阿水", "13850650001", "350628195206103411", "平和县南胜镇法华村",
     "法华村已去世多年的老人仍在领取养老金，被村干部冒领，请求查处。"),
    ("W8-0002", "2026-08-30", "林阿水", "13850650001", "350628195206103411", "平和县南胜镇法华村",
     "法华村集体鱼塘私下发包给村干部亲属，十年租金只收三万元，村民不知情。"),
    ("W8-0003", "2026-08-12", "黄秀英", "13905961111", "350623198002021234", "漳浦县旧镇镇浯源村",
     "浯源村已去世的老人养老金一直有人在领，村干部冒领，请纪委查处。"),
    ("W8-0004", "2026-09-20", "黄秀英", "139 0596 1111", "", "漳浦县旧镇镇浯源村",
     "再次反映：我们村死了的老人的养老钱到现在还有人在领，上次来信后没人来查。"),
)
PENSION, POND = "W8-0001", "W8-0002"
FIRST, AGAIN = "W8-0003", "W8-0004"


def _register() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "信访人", "联系电话", "身份证号", "问题发生地", "反映内容"])
    for row in ROWS:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture()
def imported(engine):
    import_register(engine, _register(), filename="W8.xlsx", who="test")
    return engine


def test_the_analysis_chains_only_the_letter_of_one_matter(imported):
    with session_scope(imported) as s:
        result = recluster(s, load_cases(s), save=False)
    assert POND not in result.repeat_of and result.repeat_of.get(AGAIN) == FIRST  # what the rest must agree with


def test_select_takes_along_only_the_letter_of_one_matter(imported):
    with session_scope(imported) as s:
        nos = [c.case_no for c in load_cases(s)]
        mates = chain_mates(s, nos)
        along = whole_chains(s, [PENSION, FIRST], nos)
    assert PENSION not in mates and POND not in mates
    assert mates[FIRST] == {AGAIN} and mates[AGAIN] == {FIRST}
    assert along == {AGAIN: FIRST}


def test_settling_one_matter_leaves_the_writers_other_matter_open(imported):
    with session_scope(imported) as s:
        assert settles_along(s, get_case_row(s, PENSION)) == []
        assert [r.case_no for r in settles_along(s, get_case_row(s, FIRST))] == [AGAIN]
        set_status(s, PENSION, CaseStatus.RESOLVED, who="test", note="已化解")
        set_status(s, FIRST, CaseStatus.RESOLVED, who="test", note="已化解")
    with session_scope(imported) as s:
        status = dict(s.query(CaseRow.case_no, CaseRow.status))
    assert status[POND] == CaseStatus.REGISTERED.value
    assert status[AGAIN] != CaseStatus.REGISTERED.value  # settled along with its first letter


def test_feedback_on_one_matter_does_not_close_the_other_matters_gap(imported):
    with session_scope(imported) as s:
        for row in s.query(CaseRow):
            row.status = CaseStatus.VISITED.value
        for no in (PENSION, FIRST):
            for side, channel in (("petitioner", "当面"), ("government", "书面")):
                record_feedback(s, no, side, feedback_date=dt.date(2026, 10, 9), channel=channel,
                                content="已反馈", who="test")
    with session_scope(imported) as s:
        missing = {m.case_no: m.missing for m in missing_feedback(s)}
    assert set(missing) == {POND}
    assert set(missing[POND]) == {"petitioner", "government"}


def test_the_statistics_count_only_the_chain_of_one_matter(imported):
    with session_scope(imported) as s:
        ids = {no: i for i, no in s.query(CaseRow.id, CaseRow.case_no)}
        cases = {r.id: r for r in s.execute(CaseRow.__table__.select())}
        chained = _repeat_case_ids(s, cases)
    assert chained == {ids[FIRST], ids[AGAIN]}
