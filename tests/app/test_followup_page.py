"""AppTest of 回访跟踪: a few taps record an outcome; feedback, clarification, rectification and 回访 are stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.store.database import session_scope
from planner.store.models import (
    CaseRow,
    ClarificationRow,
    FeedbackRow,
    FollowUpRow,
    PlanCase,
    PlanRow,
    RectificationRow,
    VisitOutcomeRow,
)

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)


def _case(no: str, status: str) -> CaseRow:
    return CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                   content=f"{no} 反映林业站收取桉树砍伐保证金", category="林业", county="平和县",
                   county_code="350628", town="山格镇", village="土田村", lon=117.3, lat=24.4, status=status)


@pytest.fixture()
def app(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        other = _case("OTHER", "selected")
        planned = _case("PH-01", "planned")
        s.add_all([other, planned])
        s.flush()
        plan = PlanRow(name="第49周", start_date=TODAY, days=5)
        s.add(plan)
        s.flush()
        s.add(PlanCase(plan_id=plan.id, case_id=planned.id, visit_id="V1", team_id="T5", visit_date=TODAY, seq=1))
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    return at


def _table(app: AppTest, *columns: str):
    """The first table showing all ``columns`` (read-only dataframes expose no key to AppTest)."""
    return next(d.value for d in app.dataframe if set(columns) <= set(d.value.columns))


def _rows(engine, model):
    with session_scope(engine) as s:
        return list(s.scalars(select(model)))


def test_todays_visit_is_preselected_and_outcome_is_recorded_in_a_few_taps(app: AppTest, engine) -> None:
    app.run()
    assert not app.exception
    assert app.selectbox(key="fu_case").value == "PH-01"  # planned for today, first
    app.toggle(key="fu_resolved").set_value(True)
    app.number_input(key="fu_households").set_value(12)
    app.number_input(key="fu_leads").set_value(2)
    app.button(key="fu_save").click().run()
    assert not app.exception
    assert any("已保存 PH-01" in s.value for s in app.success)
    (row,) = _rows(engine, VisitOutcomeRow)
    assert (row.result, row.problem_resolved, row.households_visited, row.leads_collected, row.team_id) == (
        "visited", True, 12, 2, "T5")
    with session_scope(engine) as s:
        assert s.scalars(select(CaseRow.status).where(CaseRow.case_no == "PH-01")).one() == "resolved"
        task = s.scalars(select(FollowUpRow)).one()
    assert (task.kind, task.due_date, task.preferred_team_id) == ("return_visit", TODAY + dt.timedelta(days=30),
                                                                   "T5")
    assert "PH-01" in list(_table(app, "建议检查组")["编号"])
    assert app.number_input(key="fu_households").value == 0  # the form starts blank for the next case
    assert app.session_state["followup_case"] == "PH-01"


def test_not_found_without_reason_shows_error_and_stores_nothing(app: AppTest, engine) -> None:
    app.run()
    app.radio(key="fu_result").set_value("not_found").run()
    app.button(key="fu_save").click().run()
    assert app.error and "reason" in app.error[0].value
    assert _rows(engine, VisitOutcomeRow) == []


def test_feedback_to_petitioner_leaves_government_missing(app: AppTest, engine) -> None:
    app.run()
    app.button(key="fu_save").click().run()  # visited: the case now expects both sides of feedback
    app.text_area(key="fu_fb_content").input("告知调查结果")
    app.selectbox(key="fu_fb_channel").set_value("电话")
    app.button(key="fu_fb_save").click().run()
    (fb,) = _rows(engine, FeedbackRow)
    assert (fb.side, fb.channel, fb.content, fb.feedback_date) == ("petitioner", "电话", "告知调查结果", TODAY)
    missing = _table(app, "缺")
    assert list(missing["编号"]) == ["PH-01"] and list(missing["缺"]) == ["党委政府"]


def test_clarification_letter_is_generated_recorded_and_downloadable(app: AppTest, engine) -> None:
    app.run()
    app.text_input(key="fu_cl_cadre").input("李某某")
    app.text_area(key="fu_cl_matter").input("私分扶贫资金")
    app.text_area(key="fu_cl_finding").input("资金使用符合政策规定")
    app.text_input(key="fu_cl_addressee").input("中共华安县华丰镇委员会")
    app.button(key="fu_cl_issue").click().run()
    assert not app.exception and not app.error
    (cl,) = _rows(engine, ClarificationRow)
    assert cl.cadre == "李某某" and cl.document[:2] == b"PK"  # a .docx is a zip
    assert app.get("download_button")[0].label.startswith("下载 澄清函-PH-01-李某某")


def test_rectification_added_then_completed(app: AppTest, engine) -> None:
    app.run()
    app.text_area(key="fu_rx_item").input("清退保证金")
    app.text_input(key="fu_rx_owner").input("平和县林业局")
    app.date_input(key="fu_rx_due").set_value(TODAY - dt.timedelta(days=3))
    app.button(key="fu_rx_add").click().run()
    assert list(_table(app, "逾期天数")["逾期天数"]) == [3]
    app.button(key="fu_rx_done").click().run()
    (rx,) = _rows(engine, RectificationRow)
    assert rx.done and rx.done_date == TODAY
    assert _table(app, "事项", "状态")["状态"].tolist() == ["已完成"]


def test_officer_of_another_team_sees_no_case(app: AppTest) -> None:
    from planner.office.security import Actor

    app.session_state["actor"] = Actor(username="chen", role="officer", team_ids=("T9",))
    app.run()
    assert not app.exception
    assert not app.selectbox  # nothing to pick
    assert "没有可登记的信访件" in app.info[0].value


def test_officer_of_the_planned_team_records_for_own_case_only(app: AppTest, engine) -> None:
    from planner.office.security import Actor

    app.session_state["actor"] = Actor(username="lin", role="officer", team_ids=("T5",))
    app.run()
    (only,) = app.selectbox(key="fu_case").options
    assert only == "[今日] PH-01 · 平和县山格镇土田村 · PH-01 反映林业站收取桉树砍伐保证金"
    app.button(key="fu_save").click().run()
    (row,) = _rows(engine, VisitOutcomeRow)
    assert row.recorded_by == "lin"


def test_caption_shows_deadline_and_government_feedback_names_recipient(app: AppTest, engine) -> None:
    app.run()
    assert "期限 2026-12-31（剩 24 天）" in app.caption[0].value
    assert not [t for t in app.text_input if t.key == "fu_fb_recipient"]  # petitioner side: no name field
    app.radio(key="fu_fb_side").set_value("government").run()
    app.text_input(key="fu_fb_recipient").input("山格镇党委")
    app.text_area(key="fu_fb_content").input("请镇党委化解山地纠纷")
    app.button(key="fu_fb_save").click().run()
    (fb,) = _rows(engine, FeedbackRow)
    assert (fb.side, fb.recipient) == ("government", "山格镇党委")
