"""Walk W: two leaders of different teams planned the same letters from the pool; the first saved, and the second,
saving a moment later, was told 无权规划路线 … 请联系管理员 (the letters had left the second leader's pool, so the
rights refused them first) instead of which plan had taken them. Letters the second leader's page had found theirs
are now named with the plan holding them; letters they never could plan are still refused by the rights (13.1).
The refusal says its advice once (the box added 请刷新页面… under the message's own 请刷新后重新规划).

Walk W32: another leader's draft (草稿) is a working copy and takes no letter from the pool — a save takes the letters
from it (tests/app/test_x9_draft_letters_stay_candidates.py) — so the plan holding them here is an issued one; and a
page that never had them is told which plan holds them, not 无权 … 请联系管理员."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.errors import PermissionDenied
from planner.office.security import Actor
from planner.routing.report import plan_document
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import PlanRow
from planner.store.plan_claims import PlanConflictError
from planner.store.plans import save_plan
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
T1 = Team("T1", "第一检查组", 117.313, 24.363, base_name="平和县纪委监委")
T3 = Team("T3", "第三检查组", 117.313, 24.363, base_name="平和县纪委监委")
LEADER1 = Actor("zuzhang1", "leader", team_ids=("T1",), display_name="林组长")
LEADER3 = Actor("zuzhang3", "leader", team_ids=("T3",), display_name="陈组长")
VISITS = (
    Visit("V1", 117.43, 24.37, 60, label="山格镇隆庆村", case_nos=("ZZ1",)),
    Visit("V2", 117.375, 24.325, 45, label="文峰镇三坪村", case_nos=("ZZ2",)),
)


@pytest.fixture()
def office(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, T1)
        save_team(s, T3)
    for no in ("ZZ1", "ZZ2"):
        add_case(engine, no)
    return engine


def _planned(actor: Actor, name: str) -> AppTest:
    """A leader's page that has planned VISITS for their team over one day (not saved yet)."""
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state["actor"] = actor
    app.session_state[Key.TODAY] = TODAY
    app.session_state[Key.VISITS] = VISITS
    app.run()
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    next(b for b in app.button if b.label == "开始规划").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    app.text_input(key="pl_name").input(name)
    return app


def _save(app: AppTest) -> AppTest:
    next(b for b in app.button if b.label == "保存方案").click().run()
    assert not app.exception
    return app


def _issue(engine, pid: int) -> None:
    with session_scope(engine) as s:
        set_plan_status(s, pid, PlanStatus.ISSUED, who="zuzhang1")


def _plans(engine) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(PlanRow))


def test_the_second_leader_is_told_which_plan_took_the_letters(office) -> None:
    first, second = _planned(LEADER1, "一组方案"), _planned(LEADER3, "三组方案")
    _save(first)
    assert not first.error
    pid = first.session_state[Key.PLAN_ID]
    _issue(office, pid)
    (error,) = [e.value for e in _save(second).error]
    assert error.startswith("保存失败：") and f"已由计划 #{pid}「一组方案」（第一检查组，已下发）安排" in error, error
    assert "ZZ1" in error and "ZZ2" in error
    assert "无权" not in error and "联系管理员" not in error
    # the advice is said once: the message's own (walk W36: every stop taken, so 重新选件, not 刷新后重新规划),
    # not 请刷新页面… under it again
    assert error.count("请到选件页重新选件") == 1 and "刷新" not in error, error
    assert _plans(office) == 1


def test_a_leader_who_never_had_the_letters_is_told_which_plan_holds_them(office) -> None:
    pid = _save(_planned(LEADER1, "一组方案")).session_state[Key.PLAN_ID]
    _issue(office, pid)
    late = AppTest.from_file(PAGE, default_timeout=60)  # a page that never found these letters the leader's
    late.session_state["actor"] = LEADER3
    late.session_state[Key.TODAY] = TODAY
    late.session_state[Key.VISITS] = VISITS
    late.run()
    assert not late.exception
    (error,) = [e.value for e in late.error]
    assert "不能规划路线" in error and f"已排入第一检查组的计划 #{pid}（已下发）" in error, error
    assert "无权" not in error and "联系管理员" not in error, error
    assert not [b for b in late.button if b.label in ("开始规划", "保存方案")]


def _doc(team: Team):
    return plan_document(list(VISITS), [team], start_date=TODAY, days=1, time_limit_s=1.0)


def test_save_plan_names_the_plan_only_for_letters_the_page_had_found_the_leaders(office) -> None:
    mine = _doc(T3)  # planned while the letters were in the pool
    with session_scope(office) as s:
        pid = save_plan(s, _doc(T1), name="一组方案", who="zuzhang1", actor=LEADER1)
    _issue(office, pid)
    with session_scope(office) as s:
        with pytest.raises(PlanConflictError, match=f"已由计划 #{pid}「一组方案」"):
            save_plan(s, mine, name="三组方案", who="zuzhang3", actor=LEADER3, had={"ZZ1", "ZZ2"})
        s.rollback()
        # one of them never checked as the leader's: refused (where the letters are), the plan not named
        with pytest.raises(PermissionDenied) as err:
            save_plan(s, mine, name="三组方案", who="zuzhang3", actor=LEADER3, had={"ZZ1"})
        assert not isinstance(err.value, PlanConflictError) and "一组方案" not in str(err.value)
        s.rollback()
        with pytest.raises(PermissionDenied) as err:  # no page's check at all (a file, the CLI)
            save_plan(s, mine, name="三组方案", who="zuzhang3", actor=LEADER3)
        assert not isinstance(err.value, PlanConflictError)
        s.rollback()
        # an officer may not plan whatever the page checked
        with pytest.raises(PermissionDenied) as err:
            save_plan(s, mine, name="三组方案", who="ganbu3", actor=Actor("ganbu3", "officer", team_ids=("T3",)),
                      had={"ZZ1", "ZZ2"})
        assert not isinstance(err.value, PlanConflictError)
        s.rollback()
    assert _plans(office) == 1
