"""统计 lists the letters received in the period by county, with how many are still open and how many settled
(walk W23: those numbers were on 首页 only, for all time, and in no export). Page, CLI and Excel say the same."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from planner.cli import main
from planner.followup.stats import compute_stats, stats_to_excel
from planner.store.models import CaseRow

D = dt.date
SPECS = [  # case_no, county code, county as written, received, status
    ("K1", "350628", "平和县", D(2026, 3, 1), "registered"),
    ("K2", "350628", "平和县", D(2026, 4, 1), "resolved"),
    ("K3", "350681", "龙海市", D(2026, 5, 1), "closed"),      # an old code: counted under 龙海区
    ("K4", "350623", "漳浦县", D(2026, 6, 1), "visited"),
    ("K5", "350623", "漳浦县", D(2025, 6, 1), "registered"),  # received before the period: not counted
    ("K6", "", "", D(2026, 7, 1), "registered"),               # not placed
]


def _letters(session) -> None:
    for no, code, county, received, status in SPECS:
        session.add(CaseRow(case_no=no, received_date=received, deadline=received + dt.timedelta(days=60),
                            content=f"反映{no}", county_code=code, county=county, category="林业", status=status))
    session.commit()


def test_received_letters_by_county_with_open_and_settled(session, tmp_path) -> None:
    _letters(session)
    stats = compute_stats(session, start=D(2026, 1, 1), end=D(2026, 12, 31), by=("county",), today=D(2026, 12, 7))
    rows = stats.extras.county_table()
    assert rows[:3] == [["龙海区", 1, 0, 1], ["漳浦县", 1, 1, 0], ["平和县", 2, 1, 1]]  # the city's county order
    assert rows[3][0] == "（未定位）" and rows[3][1:] == [1, 1, 0]
    assert rows[-1] == ["合计", 5, 3, 2]
    assert sum(r[1] for r in rows[:-1]) == stats.extras.received_total
    out = tmp_path / "统计.xlsx"
    stats_to_excel(stats, out)
    sheet = load_workbook(out)["认定与收件"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    at = next(i for i, r in enumerate(values) if r[0] == "收到信访件（按县区）")
    assert values[at + 1][:4] == ["龙海区", 1, 0, 1] and ["合计", 5, 3, 2] in [r[:4] for r in values[at:]]


def test_the_cli_prints_the_county_table(engine, capsys) -> None:
    from planner.store.database import session_scope

    with session_scope(engine) as s:
        _letters(s)
    url = engine.url.render_as_string(hide_password=False)
    assert main(["stats", "--from", "2026-01-01", "--to", "2026-12-31", "--db", url]) == 0
    printed = capsys.readouterr().out
    assert "收到信访件（按县区）\t收件\t未办结\t已办结（含化解、澄清）" in printed
    assert "平和县\t2\t1\t1" in printed and "合计\t5\t3\t2" in printed
