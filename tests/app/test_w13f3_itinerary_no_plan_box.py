"""行程 (walk W13): an officer whose team has no issued plan saw 换计划、检查组或日期 as an empty box above the
sentence saying why there is no itinerary — no saved plan to list, no upload for them. The box is drawn only when
it holds something: a saved plan to open, or (for those who plan) a plan.json to upload."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from planner.office import security
from planner.office.security import Actor, SessionToken
from planner.store.database import session_scope
from tests.app.test_itinerary import MONDAY, OFFICER_T1, ROOT, _officer_app, _saved

BOX = "换计划、检查组或日期"
LEADER = Actor(username="zhao", role="leader", team_ids=("T1",), display_name="赵组长")


def _boxes(at: AppTest) -> list[str]:
    return [e.label for e in at.expander]


def test_w13_an_officer_with_no_plan_sees_the_sentence_without_an_empty_box(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        security.create_user(s, OFFICER_T1.username, "Xiafang-2026-pass", role="officer", team_ids=["T1"])
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    assert BOX not in _boxes(at)
    assert any("还没有可查看的计划" in i.value and "请联系本组组长" in i.value for i in at.info)
    assert not at.selectbox and not at.get("file_uploader")  # nothing to choose anywhere on the page


def test_w13_the_box_stays_for_a_leader_who_may_upload_and_for_an_officer_with_a_plan(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    at.session_state["actor"] = LEADER
    at.session_state["session_token"] = SessionToken.issue(LEADER)
    at.session_state["today"] = MONDAY
    at.run()
    assert not at.exception
    assert BOX in _boxes(at) and at.get("file_uploader")  # 或上传 plan.json
    _saved(engine, monkeypatch)
    officer = _officer_app(OFFICER_T1, MONDAY)
    officer.run()
    assert not officer.exception
    assert BOX in _boxes(officer) and officer.selectbox(key="it_plan").value is not None
