"""AppTest of 首页: county figures, status counts, deadline warnings and plans come from the database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.store.database import session_scope
from planner.store.models import PlanRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "home.py")


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.TODAY] = TODAY
    return at


def test_empty_database_points_to_import(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert any("请先导入" in i.value for i in app.info)
    assert not app.dataframe


def test_county_figures(engine, app: AppTest) -> None:
    # 平和: 2 open (one overdue, one at risk) + 1 resolved; 龙海 written with its old code 350681; one unplaced.
    add_case(engine, "A1", deadline=TODAY - dt.timedelta(days=3))
    add_case(engine, "A2", deadline=TODAY + dt.timedelta(days=5))
    add_case(engine, "A3", status="resolved", deadline=TODAY - dt.timedelta(days=30))
    add_case(engine, "B1", county_code="350681", county="龙海市", deadline=TODAY + dt.timedelta(days=40))
    add_case(engine, "C1", county_code="", county="", town="", lon=None, lat=None,
             deadline=TODAY + dt.timedelta(days=50))
    app.run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["信访件"] == "5"
    assert metrics["未办结"] == "4"
    assert metrics["已超期"] == "1"
    assert any(label.startswith("临近期限") and v == "1" for label, v in metrics.items())

    counties = app.dataframe[0].value.set_index("区县")
    assert len(counties) == 12  # all 11 counties, zeros included, plus 未定位
    assert counties.loc["平和县", "信访件"] == 3
    assert counties.loc["平和县", "未办结"] == 2
    assert counties.loc["平和县", "已超期"] == 1
    assert counties.loc["平和县", "临近期限"] == 1
    assert counties.loc["龙海区", "信访件"] == 1
    assert counties.loc["华安县", "信访件"] == 0
    assert counties.loc["未定位", "信访件"] == 1

    status = app.dataframe[1].value.set_index("状态")["件数"]
    assert status["已登记"] == 4 and status["已化解"] == 1

    urgent = app.dataframe[2].value
    assert list(urgent["编号"]) == ["A1", "A2"]  # most urgent first; resolved A3 is not listed
    assert list(urgent["剩余天数"]) == [-3, 5]


def test_plans_in_progress(engine, app: AppTest) -> None:
    add_case(engine, "A1")
    with session_scope(engine) as s:
        row = PlanRow(name="十二月第一周", start_date=TODAY, days=5, status="issued", created_by="demo")
        s.add(row)
        s.add(PlanRow(name="已完成的计划", start_date=TODAY - dt.timedelta(days=30), days=5, status="done"))
        s.flush()
        pid = row.id
    app.run()
    plans = app.dataframe[-1].value
    # Walk B: same-named plans were told apart by nothing, and the demo's plans were made by “demo”.
    assert list(plans["计划"]) == [f"#{pid} 十二月第一周"]
    assert list(plans["制定人"]) == ["演示协调员"]
    assert list(plans["状态"]) == ["已下发"]


def test_an_officer_without_letters_is_not_sent_to_a_page_they_cannot_open(app: AppTest) -> None:
    from planner.office.security import Actor

    app.session_state[Key.ACTOR] = Actor(username="off1", role="officer", team_ids=("T1",))
    app.run()
    assert not app.exception
    assert any("没有可查看的信访件" in i.value for i in app.info)
    shown = " ".join(m.value for m in app.markdown) + " ".join(c.value for c in app.caption)
    assert "前往导入" not in shown
    app.session_state[Key.ACTOR] = Actor(username="coord", role="coordinator")
    app.run()
    shown = " ".join(m.value for m in app.markdown) + " ".join(c.value for c in app.caption)
    assert "前往导入" in shown  # who may import is still shown the way


def test_a_plans_maker_is_named_as_people_know_them(engine, app: AppTest) -> None:
    """Walk A (L11): 进行中的下访计划 showed the account name (zuzhang2) instead of 黄组长."""
    from planner.store.models import UserRow

    add_case(engine, "A1")
    with session_scope(engine) as s:
        s.add(UserRow(username="zuzhang2", display_name="黄组长", role="leader", password_hash="x"))
        s.add(PlanRow(name="十二月第一周", start_date=TODAY, days=5, status="issued", created_by="zuzhang2"))
    app.run()
    assert not app.exception, app.exception
    assert list(app.dataframe[-1].value["制定人"]) == ["黄组长（zuzhang2）"]


def test_follow_up_to_do_is_counted_on_the_home_page(engine, app: AppTest) -> None:
    """Walk M: an overdue 整改, a 回访 due and a 双反馈 gap were found only on 回访跟踪, one letter at a time."""
    from sqlalchemy import select

    from planner.followup.feedback import record_feedback
    from planner.followup.rectification import add_rectification
    from planner.store.models import CaseRow, FollowUpRow, PetitionerRow

    add_case(engine, "F1", status="visited")
    add_case(engine, "F2", status="resolved")
    with session_scope(engine) as s:
        # Two writers: one writer's letters are one chain, and feedback on one settles the other (42a9e74).
        for k, row in enumerate(s.scalars(select(CaseRow).order_by(CaseRow.case_no))):
            row.petitioner = PetitionerRow(name=("林某某", "陈某某")[k], phone=f"1380000000{k}")
        s.flush()
        add_rectification(s, "F1", item="退还桉树砍伐保证金", owner="山格镇林业站",
                          due_date=TODAY - dt.timedelta(days=3), who="u")
        add_rectification(s, "F2", item="公开村财", owner="村委会", due_date=TODAY + dt.timedelta(days=9), who="u")
        f2 = s.scalar(select(CaseRow.id).where(CaseRow.case_no == "F2"))
        s.add_all([FollowUpRow(case_id=f2, kind="return_visit", due_date=TODAY - dt.timedelta(days=1)),
                   FollowUpRow(case_id=f2, kind="return_visit", due_date=TODAY + dt.timedelta(days=20))])
        for side in ("petitioner", "government"):
            record_feedback(s, "F2", side, feedback_date=TODAY, channel="当面", content="已告知",
                            recipient="山格镇党委" if side == "government" else "", who="u")
    app.run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert (metrics["逾期整改事项"], metrics["到期回访"], metrics["双反馈缺项"]) == ("1", "1", "1")
    assert any("去回访跟踪处理" in m.value for m in app.markdown)  # the link (text in AppTest, no page routing)


def test_due_return_visits_count_the_rectification_checks_too(engine, app: AppTest) -> None:
    """Browser walk: 首页 到期回访 counted only 回访 tasks, not the due 整改回访 that 回访跟踪 lists with them."""
    from sqlalchemy import select

    from planner.store.models import CaseRow, FollowUpRow

    add_case(engine, "F1", status="visited")
    add_case(engine, "F2", status="resolved")
    with session_scope(engine) as s:
        ids = dict(s.execute(select(CaseRow.case_no, CaseRow.id)).all())
        s.add_all([FollowUpRow(case_id=ids["F2"], kind="return_visit", due_date=TODAY),
                   FollowUpRow(case_id=ids["F1"], kind="rectification", due_date=TODAY - dt.timedelta(days=2),
                               description="整改回访：退还保证金"),
                   FollowUpRow(case_id=ids["F1"], kind="rectification", due_date=TODAY + dt.timedelta(days=5),
                               description="整改回访：公开村财")])
    app.run()
    assert not app.exception
    (due,) = [m for m in app.metric if m.label == "到期回访"]
    assert due.value == "2"
    assert any("含整改回访 1 件" in c.value for c in app.caption)
