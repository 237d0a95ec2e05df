"""统计 by county: the 11 counties in the official order (芗城区 350602 … 华安县 350629), zeros included, on the
page's table, the Excel sheet and ``stats --by county``."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from planner.cli import main
from planner.followup.stats import compute_stats, county_order, stats_to_excel
from planner.store.models import CaseRow, VisitOutcomeRow

OFFICIAL = ("芗城区", "龙文区", "龙海区", "长泰区", "云霄县", "漳浦县", "诏安县", "东山县", "南靖县", "平和县",
            "华安县")
YEAR = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}


def _two_counties(session) -> None:
    for no, code, name in (("A", "350629", "华安县"), ("B", "350626", "东山县"), ("C", "350681", "龙海市")):
        row = CaseRow(case_no=no, received_date=dt.date(2026, 1, 5), deadline=dt.date(2026, 3, 5), content=no,
                      county_code=code, county=name)
        session.add(row)
        session.flush()
        session.add(VisitOutcomeRow(case_id=row.id, visit_date=dt.date(2026, 2, 1), team_id="", result="visited",
                                    households_visited=3))
    session.commit()


def test_official_order_is_the_code_order() -> None:
    assert county_order() == OFFICIAL


def test_by_county_lists_all_eleven_in_order_with_zero_rows(session) -> None:
    _two_counties(session)
    stats = compute_stats(session, by=("county",), **YEAR)
    assert [r.keys[0] for r in stats.rows] == list(OFFICIAL)
    by_name = {r.keys[0]: r for r in stats.rows}
    assert by_name["华安县"]["household_visits"] == 3 and by_name["龙海区"]["household_visits"] == 3
    assert by_name["芗城区"]["household_visits"] == 0  # nothing in the period, still listed
    assert stats.totals["household_visits"] == 9
    sheet = load_workbook(io.BytesIO(stats_to_excel(stats))).worksheets[0]
    names = [c.value for c in sheet["A"] if c.value in OFFICIAL]
    assert names == list(OFFICIAL)


def test_county_filter_keeps_only_those_counties(session) -> None:
    _two_counties(session)
    stats = compute_stats(session, by=("county",), county_codes=("350629", "350602"), **YEAR)
    assert [r.keys[0] for r in stats.rows] == ["芗城区", "华安县"]


def test_cli_by_county_in_official_order(engine, capsys) -> None:
    from planner.store.database import session_scope

    with session_scope(engine) as s:
        _two_counties(s)
    url = engine.url.render_as_string(hide_password=False)
    assert main(["stats", "--db", url, "--by", "county", "--from", "2026-01-01", "--to", "2026-12-31"]) == 0
    out = capsys.readouterr().out
    positions = [out.find(name) for name in OFFICIAL]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
