"""Walk W10: a repeat letter without the ID number (same named writer, same phone, 再次反映) is one chain with its
writer's first letter everywhere 关联分析 chains it — 选件 takes it along, the first letter's field sheets name it,
settling the first letter settles it, the statistics count the chain — whether or not a coordinator's analysis was
saved; and ``python -m planner cluster`` keys the writers as the page does (it found 8 chains where the page found
20)."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import openpyxl
import pytest

from planner.analysis import ClusterOptions, analyse
from planner.commands.cluster import letters_from_register
from planner.field import build_itinerary, render
from planner.followup.stats import _repeat_case_ids
from planner.intake.register import import_register
from planner.selection.repeats import whole_chains
from planner.store.cases import chain_mates, field_case_details, get_case_row, load_cases, settles_along
from planner.store.clusters import recluster
from planner.store.database import session_scope
from planner.store.models import CaseRow, ClusterRow
from planner.store.teams import ensure_default_teams
from planner.store.writers import writer_key_map
from tests.export.test_confidential import plan_letters
from tests.export.test_privacy import _texts

_ID = "350628195206103411"
_TEXT = "法华村支书林国栋在土地征收中虚报青苗数量，套取青苗补偿款，群众多次反映无人处理。"
#: (编号, 收件日期, 信访人, 联系电话, 身份证号, 问题发生地, 反映内容)
ROWS = (
    ("W10-0026", "2026-08-10", "郑志强", "13850651234", _ID, "平和县南胜镇法华村", _TEXT),
    ("W10-0234", "2026-09-12", "郑志强", "138 5065 1234", "", "平和县南胜镇法华村",
     "再次反映：" + _TEXT + "上次来信至今没有任何答复。"),
    ("W10-0082", "2026-08-20", "黄秀英", "13905961111", "350623198002021234", "漳浦县旧镇镇浯源村",
     "浯源村财务长期不公开村务账目，集体鱼塘发包收入去向不明。"),
    ("W10-0242", "2026-09-30", "黄秀英", "13905961111", "350623198002021234", "漳浦县旧镇镇浯源村",
     "再次反映：浯源村财务长期不公开村务账目，集体鱼塘发包收入去向不明。上次来信至今没有任何答复。"),
    ("W10-0100", "2026-08-25", "郑志强", "13700000000", "", "龙海区榜山镇洋西村",
     "洋西村的危房改造补助被村干部截留一部分，每户少发三千元。"),
)
FIRST, RESENT = "W10-0026", "W10-0234"


def _register(rows=ROWS) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "信访人", "联系电话", "身份证号", "问题发生地", "反映内容"])
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture()
def imported(engine):
    """The register imported, and no analysis saved (a leader's 关联分析 saves none; walk W10 had none stored)."""
    import_register(engine, _register(), filename="W10.xlsx", who="test")
    with session_scope(engine) as s:
        assert not s.query(ClusterRow).count()
    return engine


def test_the_page_chains_the_letter_without_the_id_number_with_its_writers_first(imported):
    with session_scope(imported) as s:
        result = recluster(s, load_cases(s), save=False)
    assert result.repeat_of.get(RESENT) == FIRST  # what 关联分析 shows; the rest must agree with it


def test_select_takes_the_repeat_without_the_id_number_along(imported):
    with session_scope(imported) as s:
        nos = [c.case_no for c in load_cases(s)]
        mates = chain_mates(s, nos)
        along = whole_chains(s, [FIRST, "W10-0082"], nos)
    assert mates[FIRST] == {RESENT} and mates[RESENT] == {FIRST}
    assert along == {RESENT: FIRST, "W10-0242": "W10-0082"}
    # Same name, another phone and no ID number: another writer.
    assert "W10-0100" not in mates


def test_the_first_letters_field_sheets_name_the_repeat_without_the_id_number(imported):
    with session_scope(imported) as s:
        cases = [c for c in load_cases(s) if c.case_no in (FIRST, RESENT)]
        teams = ensure_default_teams(s)
        details = field_case_details(s, [c.case_no for c in cases])
    assert details[FIRST]["repeats"] == RESENT
    doc = plan_letters(cases, teams, details)
    (route,) = [r for r in doc.plan.routes if any(FIRST in doc.visits[st.visit_id].case_nos for st in r.stops)]
    it = build_itinerary(doc, route.team_id, route.date)
    for fmt, name in (("pdf", "day.pdf"), ("ics", "day.ics")):
        text = "".join(_texts(name, render(fmt, it)).split()).replace("\\n", "").replace("\\,", ",")
        assert f"同一信访人此后又来信：{RESENT}" in text, fmt
        for secret in ("郑志强", "13850651234", _ID):
            assert secret not in text, (fmt, "identity on an officer's sheet")


def test_settling_the_first_letter_settles_the_repeat_without_the_id_number(imported):
    with session_scope(imported) as s:
        along = [r.case_no for r in settles_along(s, get_case_row(s, FIRST))]
    assert along == [RESENT]


def test_the_statistics_count_the_chain_of_the_repeat_without_the_id_number(imported):
    with session_scope(imported) as s:
        ids = {no: i for i, no in s.query(CaseRow.id, CaseRow.case_no)}
        cases = {r.id: r for r in s.execute(CaseRow.__table__.select())}
        chained = _repeat_case_ids(s, cases)
    assert {ids[FIRST], ids[RESENT]} <= chained and ids["W10-0100"] not in chained


def test_the_cli_keys_the_writers_as_the_page_does(imported, tmp_path: Path):
    path = tmp_path / "W10.xlsx"
    path.write_bytes(_register())
    letters = letters_from_register(path, report=io.StringIO())
    cli = {lt.letter_id: lt.petitioner_key for lt in letters}
    with session_scope(imported) as s:
        page = writer_key_map(s)
    assert cli == page  # one rule, one key, whether the register is read from the file or from the database
    assert cli[FIRST] == cli[RESENT] != cli["W10-0100"]
    assert all(len(k) == 20 and "郑志强" not in k and "1385065" not in k for k in cli.values())
    result = analyse([dataclasses.replace(lt) for lt in letters], options=ClusterOptions())
    assert result.repeat_of.get(RESENT) == FIRST
