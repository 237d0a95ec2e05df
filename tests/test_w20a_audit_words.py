"""Walk W20: 审计日志 said a plan save put 18 件 (it listed 24, 6 on no day yet), and ``python -m planner users set``
read 系统修改账户「chen」 with no server account named, where backup and restore say 由系统用户「root」运行."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from planner.cli import main
from planner.commands.restore import os_user
from planner.domain import Team, Visit
from planner.office import audit, security
from planner.office.security import Actor
from planner.routing.report import plan_document
from planner.store.database import session_scope
from planner.store.models import CaseRow
from planner.store.plans import save_plan
from planner.store.teams import save_team

MONDAY = dt.date(2026, 12, 7)
T1 = Team("T1", "第一检查组", 117.313, 24.363)
LEADER = Actor("zheng", "leader", team_ids=("T1",), display_name="郑组长")


def test_a_plan_save_says_the_letters_it_lists_and_those_on_no_day(session) -> None:
    save_team(session, T1)
    for no in ("ZZ1", "ZZ2", "ZZ3"):
        session.add(CaseRow(case_no=no, received_date=MONDAY, deadline=MONDAY + dt.timedelta(days=60)))
    session.flush()
    visits = [Visit("V1", 117.43, 24.37, 60, label="山格镇隆庆村", case_nos=("ZZ1", "ZZ2")),
              Visit("V2", 117.375, 24.325, 45, label="文峰镇三坪村", case_nos=("ZZ3",))]
    doc = plan_document(visits, [T1], start_date=MONDAY, days=1, time_limit_s=1.0)
    one_stop = dataclasses.replace(doc, plan=dataclasses.replace(doc.plan, routes=tuple(
        dataclasses.replace(r, stops=r.stops[:1]) for r in doc.plan.routes)))
    routed = len(doc.visits[one_stop.plan.routes[0].stops[0].visit_id].case_nos)
    pid = save_plan(session, one_stop, name="一组方案", who="zheng", actor=LEADER)
    (saved,) = audit.recent(session, action="plan_save")
    assert (saved["detail"]["listed"], saved["detail"]["cases"]) == (3, routed)
    text = audit.describe(saved, team_names={"T1": "第一检查组"})
    assert (f"保存了新计划 #{pid}「一组方案」（第一检查组，3 件列入走访清单，其中 {routed} 件已排入 1 个走访点，"
            f"{3 - routed} 件未安排，草稿）") in text


@pytest.fixture()
def db(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv(security.ADMIN_PASSWORD_ENV, "Zz-walk-2026!")
    monkeypatch.setenv("XIAFANG_USER_PASSWORD", "Xiafang-2026-pass")
    return engine


def test_cli_user_changes_name_the_server_account_that_ran_them(db, monkeypatch) -> None:
    monkeypatch.setattr("planner.commands.restore.getpass.getuser", lambda: "opsroot")
    assert os_user() == "opsroot"
    assert main(["users", "bootstrap"]) == 0
    assert main(["users", "create", "chen", "--role", "officer"]) == 0
    assert main(["users", "set", "chen", "--role", "coordinator"]) == 0
    assert main(["users", "password", "chen"]) == 0
    with session_scope(db) as s:
        rows = {r["action"]: r for r in audit.recent(s)}
        for action in ("user_create", "user_update", "password_set"):
            assert rows[action]["detail"]["os_user"] == "opsroot", action
            assert "在服务器上由系统用户「opsroot」运行" in audit.describe(rows[action]), action
        said = audit.describe(rows["user_update"])
        assert said.endswith("系统修改账户「chen」：角色改为协调员，在服务器上由系统用户「opsroot」运行。")
        # A change made in the app names no server account.
        admin = security.get_actor(s, "admin")
        security.update_user(s, "chen", display_name="陈干部", actor=admin)
    with session_scope(db) as s:
        latest = audit.recent(s, action="user_update")[0]
        assert "os_user" not in latest["detail"] and "系统用户" not in audit.describe(latest)
