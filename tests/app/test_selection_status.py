"""选件 shows each case's status; a handled case listed for its return visit is not shown as overdue; money in a
letter is not read as people affected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.selection.ranking import estimate_people_affected
from planner.store.database import session_scope
from planner.store.models import CaseRow, FollowUpRow, TeamRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(("text", "people"), [("村里每年少交几十万", 0), ("补偿款几十万元没有发放", 0),
                                              ("几十户村民受影响", 30), ("涉及群众上百人", 100), ("数万林农", 20000)])
def test_money_is_not_people(text: str, people: int) -> None:
    assert estimate_people_affected(text) == people


@pytest.fixture()
def app(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        for no, status in (("OPEN", "registered"), ("DONE", "closed")):
            s.add(CaseRow(case_no=no, received_date=dt.date(2026, 4, 1), deadline=dt.date(2026, 5, 31),
                          content="征地补偿款每年少交几十万", category="征地拆迁", county="平和县",
                          county_code="350628",
                          town="某镇", town_code="350628103", village="某村", village_code="350628103201",
                          lon=117.3, lat=24.4, precision="village", status=status))
        s.flush()
        done = s.query(CaseRow).filter_by(case_no="DONE").one()
        s.add(FollowUpRow(case_id=done.id, kind="return_visit", due_date=TODAY + dt.timedelta(days=3)))
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51))
    at = AppTest.from_file(str(ROOT / "pages" / "selection.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    return at


def test_status_column_and_no_negative_days_for_handled_cases(app: AppTest) -> None:
    app.run()
    assert not app.exception
    df = app.dataframe[0].value.set_index("编号")
    assert df.loc["OPEN", "状态"] == "已登记" and df.loc["OPEN", "剩余天数"] == str((dt.date(2026, 5, 31) - TODAY).days)
    # DONE is listed for its return visit, as handled, not overdue.
    assert df.loc["DONE", "状态"] == "已办结" and df.loc["DONE", "剩余天数"] == "—"
    assert "人/户" not in " ".join(df["排序理由"])  # 每年少交几十万 is money
