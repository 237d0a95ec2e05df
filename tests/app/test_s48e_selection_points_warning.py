"""AppTest of 选件's capacity warning (walk W14): 27 letters chosen made 19 走访点, and the page warned "选取了 27
件，…约可走访 24 个点…多出的可能排不进" — letters against points. The warning compares the points the chosen letters
make (letters of one village are one point) with the estimate, and names both."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamMemberRow, TeamRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 1)


def _case(no: str, village: int) -> CaseRow:
    received = dt.date(2026, 11, 1) + dt.timedelta(days=int(no[-2:]))
    return CaseRow(case_no=no, received_date=received, deadline=received + dt.timedelta(days=60),
                   content=f"{no} 村干部优亲厚友", category="低保", county="平和县", county_code="350628",
                   town="某镇", town_code="350628103", village=f"某{village}村",
                   village_code=f"350628103{200 + village}", lon=117.3 + village / 50, lat=24.4,
                   precision="village")


def _page(engine, monkeypatch, villages: list[int]) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add_all([_case(f"PW{i:02d}", v) for i, v in enumerate(villages)])
        team = TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51)
        team.members = [TeamMemberRow(id="M1", name="林建华", hometown_county_code="350627")]
        s.add(team)
    at = AppTest.from_file(str(ROOT / "pages" / "selection.py"), default_timeout=60)
    at.session_state["today"] = TODAY
    at.run()
    at.number_input(key="sel_days").set_value(1).run()  # one team, one day: about 4 points
    at.number_input(key="sel_top").set_value(len(villages)).run()
    assert not at.exception, at.exception
    return at


def test_six_letters_of_one_village_are_one_point_and_not_warned(engine, monkeypatch) -> None:
    app = _page(engine, monkeypatch, [1] * 6)
    capacity = int(app.metric[0].value)
    assert capacity < 6
    said = [w.value for w in app.warning if "预计约可走访" in w.value]
    assert not said, said


def test_more_points_than_the_estimate_are_warned_as_points(engine, monkeypatch) -> None:
    app = _page(engine, monkeypatch, [1, 1, 2, 3, 4, 5, 6, 7])
    capacity = int(app.metric[0].value)
    (said,) = [w.value for w in app.warning if "预计约可走访" in w.value]
    assert "选取了 8 件，合为 7 个走访点" in said and f"预计约可走访 {capacity} 个点" in said, said
    assert f"多出的 {7 - capacity} 个点可能排不进计划" in said, said
