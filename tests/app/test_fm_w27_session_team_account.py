"""Walk W27 (admin on a shared install): a sign-in that timed out says so, on a click and after a reload; a team
edit's audit sentence names what changed, old → new; a refused 新建账户 does not pass its team on unseen, and a team is
stored only for roles that have one (组长, 干部)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from planner.domain import TeamMember
from planner.office import audit, security
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import BrowserSessionRow
from planner.store.teams import default_teams, load_teams, save_team
from tests.app.test_login import PASSWORD, _gate, _login, _texts

ROOT = Path(__file__).resolve().parents[2]
IDLE_SAID = "登录已过期：已超过 30 分钟未操作，为安全起见已自动退出，请重新登录。"
LIMIT_SAID = "登录已过期：本次登录已满 8 小时，为安全起见已自动退出，请重新登录。"


@pytest.fixture()
def gate(engine, monkeypatch) -> AppTest:
    monkeypatch.delenv(security.DEMO_ENV, raising=False)
    monkeypatch.delenv(security.ADMIN_PASSWORD_ENV, raising=False)
    with session_scope(engine) as s:
        security.create_user(s, "lin", PASSWORD, role="leader", team_ids=["t1"])
    return AppTest.from_function(_gate, args=(engine.url.render_as_string(hide_password=False),), default_timeout=20)


def _age(engine, *, idle: bool) -> None:
    """Move the stored sign-in back in time, as the walker did: 31 minutes idle, or issued 9 hours ago."""
    back = dt.timedelta(minutes=31) if idle else dt.timedelta(hours=9)
    with session_scope(engine) as s:
        for row in s.query(BrowserSessionRow).all():
            row.last_seen = row.last_seen - back
            if not idle:
                row.issued_at, row.expires_at = row.issued_at - back, row.expires_at - back
                row.last_seen = row.expires_at - dt.timedelta(minutes=5)


@pytest.mark.parametrize(("idle", "said"), [(True, IDLE_SAID), (False, LIMIT_SAID)])
def test_a_click_after_the_time_limit_says_it_timed_out(gate: AppTest, engine, idle: bool, said: str) -> None:
    gate.run()
    _login(gate, "lin", PASSWORD)
    assert "SIGNED_IN lin" in _texts(gate)
    _age(engine, idle=idle)
    gate.run()
    assert "SIGNED_IN" not in _texts(gate)
    assert [w.value for w in gate.warning] == [said]
    _login(gate, "lin", PASSWORD)  # the other reasons keep their own words
    with session_scope(engine) as s:
        s.execute(update(BrowserSessionRow).values(token_hash="x" * 64))  # signed out elsewhere, a new password …
    gate.run()
    assert [w.value for w in gate.warning] == ["登录已失效（已在其他页面退出、密码已更改或账户已停用），请重新登录。"]


@pytest.mark.parametrize(("idle", "said"), [(True, IDLE_SAID), (False, LIMIT_SAID)])
def test_a_reload_after_the_time_limit_says_it_on_the_login_page(gate: AppTest, engine, monkeypatch, idle: bool,
                                                                 said: str) -> None:
    gate.run()
    _login(gate, "lin", PASSWORD)
    raw = gate.session_state["browser_token"]
    _age(engine, idle=idle)
    monkeypatch.setattr("pages.login._cookie", lambda: raw)  # the browser sends its cookie on the reload
    reloaded = AppTest.from_function(_gate, args=(engine.url.render_as_string(hide_password=False),),
                                     default_timeout=20)
    reloaded.run()
    assert "SIGNED_IN" not in _texts(reloaded) and "下访 · 登录" in [t.value for t in reloaded.title]
    assert [w.value for w in reloaded.warning] == [said]
    reloaded.text_input(key="login_username").input("lin").run()  # typing: said once, not turned into 已失效
    assert not [w.value for w in reloaded.warning if "失效" in w.value]


def test_a_download_after_the_idle_limit_says_it_timed_out(engine) -> None:
    from planner.errors import PermissionDenied
    from planner.office import browser_sessions

    with session_scope(engine) as s:
        actor = security.create_user(s, "zhou", PASSWORD, role="officer")
    now = dt.datetime(2026, 12, 7, 8, 0)
    token = security.SessionToken.issue(actor, now=now)
    with session_scope(engine) as s:
        raw = browser_sessions.open_browser_session(s, token)
    with session_scope(engine) as s, pytest.raises(PermissionDenied, match=r"已超过 30 分钟未操作.*请重新登录后再下载"):
        browser_sessions.authorise_session(s, actor, token, raw, now=now + dt.timedelta(minutes=40))


# --- 检查组: the audit sentence names the change -----------------------------------------------------------------


@pytest.fixture()
def teams_page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        for t in default_teams():
            save_team(s, t)
        t1 = load_teams(s, team_ids=("T1",))[0]
        save_team(s, dataclasses.replace(t1, members=(TeamMember("m-a1", "林一"), TeamMember("m-a2", "陈二"))))
    at = AppTest.from_file(str(ROOT / "pages" / "teams.py"), default_timeout=30)
    at.session_state["actor"] = Actor("root", "admin", display_name="王管理")
    return at


def test_a_team_edit_is_audited_with_what_changed(teams_page: AppTest, engine) -> None:
    page = teams_page
    page.run()
    assert page.selectbox(key="tm_choice").value == "T1"
    page.text_input(key="tm_T1_name").input("南靖平和组")
    page.checkbox(key="tm_T1_m_m-a2_drop").check()
    page.multiselect(key="tm_T1_m_m-a1_skills").select("forestry")
    page.text_input(key="tm_T1_new0_0_name").input("张三")
    page.multiselect(key="tm_T1_skills").select("land")
    page.time_input(key="tm_T1_start").set_value(dt.time(8, 0))
    page.text_input(key="tm_T1_dates").input("2026-12-08；2026-12-09")
    page.number_input(key="tm_T1_max_visits").set_value(6)
    next(b for b in page.button if b.label == "保存").click().run()
    assert not page.exception and not page.error, [e.value for e in page.error]
    with session_scope(engine) as s:
        said = audit.describe(audit.recent(s, action="team_update")[0])
    assert "修改检查组「南靖平和组」：" in said, said
    for part in ("组名 第一检查组 → 南靖平和组", "加入 张三", "移出 陈二", "林一的专长 无 → 林业", "组的专长 无 → 土地",
                 "上下班 08:30–17:30 → 08:00–17:30", "可出行日期 每个工作日 → 12-08、12-09",
                 "每日最多走访点 不限 → 6 个", "现有成员 2 人"):
        assert part in said, (part, said)
    assert "组名 第一检查组 → 南靖平和组" in page.success[0].value  # the page says it too


def test_an_unchanged_save_says_so_in_the_log(teams_page: AppTest, engine) -> None:
    teams_page.run()
    next(b for b in teams_page.button if b.label == "保存").click().run()
    with session_scope(engine) as s:
        said = audit.describe(audit.recent(s, action="team_update")[0])
    assert said.endswith("修改检查组「第一检查组」：没有改动（现有成员 2 人）。"), said


# --- 用户管理: a team only for roles that have one ------------------------------------------------------------------


@pytest.fixture()
def users_page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    from planner.store.teams import ensure_team_shells

    with session_scope(engine) as s:
        security.create_user(s, "root", PASSWORD, role="admin")
        ensure_team_shells(s)
    at = AppTest.from_file(str(ROOT / "pages" / "users.py"), default_timeout=20)
    at.session_state["actor"] = Actor("root", "admin")
    return at


def test_a_refused_create_does_not_give_the_next_coordinator_its_team(users_page: AppTest, engine) -> None:
    page = users_page
    page.run()
    page.text_input(key="new_username").input("officer1")
    page.selectbox(key="new_role").select("officer")
    page.multiselect(key="new_teams").select("T1")
    page.text_input(key="new_password").input("weak")
    page.button[0].click().run()
    assert page.error and "密码至少" in page.error[0].value
    kept = " ".join(i.value for i in page.info)
    assert "表单保留了刚才填写的内容" in kept and "组：第一检查组" in kept  # the carried-over team is said
    page.text_input(key="new_username").input("coord1")
    page.selectbox(key="new_role").select("coordinator")
    page.text_input(key="new_password").input(PASSWORD)
    page.button[0].click().run()
    assert not page.error, [e.value for e in page.error]
    with session_scope(engine) as s:
        assert security.get_actor(s, "coord1").team_ids == ()
    flash = page.success[0].value
    assert "组：无" in flash and "协调员不分组：所选的组（第一检查组（T1））未保存" in flash, flash


def test_a_leader_made_coordinator_leaves_their_teams(users_page: AppTest, engine) -> None:
    with session_scope(engine) as s:
        security.create_user(s, "lead1", PASSWORD, role="leader", team_ids=["T1"])
    page = users_page
    page.run()
    page.selectbox(key="edit_username").select("lead1").run()
    page.selectbox(key="edit_lead1_role").select("coordinator")
    page.button[1].click().run()
    assert not page.error, [e.value for e in page.error]
    with session_scope(engine) as s:
        assert security.get_actor(s, "lead1") == Actor("lead1", "coordinator", (), False, "")
    assert "组：无" in page.success[0].value
