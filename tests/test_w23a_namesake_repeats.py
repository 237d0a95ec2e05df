"""A common name is no identity across places (walk W23): a register merged from six county offices, without phones
or ID numbers, made 18 repeat chains (重复举报) where there were 3 — 陈文华 of 龙海 海澄镇珠浦村 and 陈文华 of
平和 崎岭乡桂竹村, one short summary each, were one writer writing twice, and 选件 had the 龙海 visit settle the
平和 letter (随…一并办结). Letters of one name at two towns are two writers; the same phone or ID number links them
anywhere (a person who moved), and one name at one village still chains as before."""

from __future__ import annotations

import io

import openpyxl
import pytest

from planner.analysis.writers import writer_keys
from planner.domain import Petitioner
from planner.followup.stats import _repeat_case_ids
from planner.intake.register import import_register
from planner.selection.repeats import whole_chains
from planner.store.cases import chain_mates, get_case_row, load_cases, settles_along
from planner.store.clusters import recluster
from planner.store.database import session_scope
from planner.store.models import CaseRow

#: (编号, 收件日期, 信访人, 联系电话, 身份证号, 问题发生地, 反映内容)
ROWS = (
    ("LH5", "2026-09-05", "陈文华", "", "", "龙海区海澄镇珠浦村", "村干部虚报冒领扶贫资金12万元"),
    ("PH0009", "2026-10-08", "陈文华", "", "", "平和县崎岭乡桂竹村", "村干部虚报冒领扶贫资金12万元"),
    ("PH0013", "2026-09-10", "吴德胜", "", "", "平和县九峰镇城中村", "村干部工作日饮酒，群众办事难"),
    ("PH0066R1", "2026-09-25", "吴德胜", "", "", "平和县九峰镇城中村",
     "村干部工作日饮酒，群众办事难（再次反映，至今未处理）"),
    ("ZP2026-006", "2026-09-12", "张秀英", "13905962222", "", "漳浦县霞美镇过田村", "耕地地力保护补贴被冒领"),
    ("LH70", "2026-10-20", "张秀英", "13905962222", "", "龙海区角美镇白礁村",
     "耕地地力保护补贴被冒领（再次反映，至今未处理）"),
)
NAMESAKES = ("LH5", "PH0009")
SAME_PLACE = ("PH0013", "PH0066R1")
MOVED = ("ZP2026-006", "LH70")


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
    import_register(engine, _register(), filename="W23.xlsx", who="test")
    with session_scope(engine) as s:
        towns = dict(s.query(CaseRow.case_no, CaseRow.town_code))
    assert towns["LH5"] and towns["PH0009"] and towns["LH5"] != towns["PH0009"]  # placed, at two towns
    return engine


def test_one_name_at_two_towns_is_two_writers_unless_a_phone_or_id_links_them():
    chen = Petitioner("陈文华")
    places = {"a": ("350604", "350604100"), "b": ("350628", "350628202"), "c": ("350604", "350604100"),
              "d": ("350604", ""), "e": ("", "")}
    keys = writer_keys({k: chen for k in places}, places)
    assert keys["a"] != keys["b"]  # 龙海 海澄镇 and 平和 崎岭乡
    assert keys["a"] == keys["c"] == keys["d"]  # one town (a letter placed at the county only joins its one town)
    assert keys["e"] not in (keys["a"], keys["b"])  # placed nowhere: neither town's
    assert writer_keys({"a": chen, "c": chen}, places) == {"a": chen.key(), "c": chen.key()}  # one place: as before
    phone = Petitioner("陈文华", "13905962222")
    ident = Petitioner("陈文华", id_number="350628195206103411")
    assert len(set(writer_keys({"a": phone, "b": phone}, places).values())) == 1
    assert len(set(writer_keys({"a": ident, "b": ident}, places).values())) == 1


def test_the_analysis_chains_no_namesakes_of_two_counties(imported):
    with session_scope(imported) as s:
        result = recluster(s, load_cases(s), save=True)
    chains = {c.case_nos for c in result.repeats}
    assert chains == {SAME_PLACE, MOVED}
    assert not result.explain(*NAMESAKES).same_petitioner
    assert result.explain(*SAME_PLACE).same_petitioner and result.explain(*MOVED).same_petitioner


def test_select_and_settling_follow_only_real_chains(imported):
    with session_scope(imported) as s:
        recluster(s, load_cases(s), save=True)
    with session_scope(imported) as s:
        nos = [c.case_no for c in load_cases(s)]
        mates = chain_mates(s, nos)
        assert not set(NAMESAKES) & set(mates)
        assert mates["PH0013"] == {"PH0066R1"} and mates["ZP2026-006"] == {"LH70"}
        assert whole_chains(s, ["LH5", "PH0013", "ZP2026-006"], nos) == {"PH0066R1": "PH0013", "LH70": "ZP2026-006"}
        assert settles_along(s, get_case_row(s, "LH5")) == []
        ids = dict(s.query(CaseRow.case_no, CaseRow.id))
        repeat = _repeat_case_ids(s, {i: r for r in s.query(CaseRow) for i in [r.id]})
        assert ids["LH5"] not in repeat and ids["PH0009"] not in repeat
        assert {ids[n] for n in (*SAME_PLACE, *MOVED)} <= repeat


def test_the_ranking_counts_no_namesakes_as_repeats(imported):
    # 选件's ranking read the stored name-only key: LH5 and PH0009 each scored a 重复举报 of 2 letters.
    from planner.selection.ranking import signals_from_db

    with session_scope(imported) as s:
        recluster(s, load_cases(s), save=True)
        signals = signals_from_db(s)
    assert signals["LH5"].repeat_count == 1 and signals["PH0009"].repeat_count == 1
    assert signals["PH0013"].repeat_count == 2 and signals["ZP2026-006"].repeat_count == 2
