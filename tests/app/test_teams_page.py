"""AppTest of 检查组: create and edit teams and members, version check, roles, teams.csv round trip; and 用户管理
offering exactly the teams in the database after the demo ends (walk H: it offered T1-T5 from an empty table)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.domain import TeamMember
from planner.office import audit, security
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.teams import default_teams, load_teams, save_team, team_records

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Xiafang-2026-pass"
ADMIN = Actor("root", "admin", display_name="王管理")
COORD = Actor("coord", "coordinator", display_name="陈协调")


@pytest.fixture()
def page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        for t in default_teams():
            save_team(s, t)
    at = AppTest.from_file(str(ROOT / "pages" / "teams.py"), default_timeout=30)
    at.session_state["actor"] = COORD
    return at


def _submit(at: AppTest) -> None:
    next(b for b in at.button if b.label in ("保存", "新建")).click().run()


def test_a_coordinator_creates_a_team_with_members(page: AppTest, engine) -> None:
    page.run()
    assert not page.exception
    assert list(page.dataframe[0].value["组名"])[:2] == ["第一检查组", "第二检查组"]
    page.selectbox(key="tm_choice").select("__new__").run()
    page.text_input(key="tm___new___id").input("T6")
    page.text_input(key="tm___new___name").input("第六检查组")
    page.selectbox(key="tm___new___base").select("平和县纪委监委")
    page.text_input(key="tm___new___new0_0_name").input("张真实")
    page.multiselect(key="tm___new___new0_0_skills").select("law")
    page.selectbox(key="tm___new___new0_0_home").select("350628")
    _submit(page)
    assert not page.exception and not page.error, [e.value for e in page.error]
    assert "已新建检查组「第六检查组」：成员 1 人" in page.success[0].value
    with session_scope(engine) as s:
        t6 = load_teams(s, team_ids=("T6",))[0]
        entry = audit.recent(s, action="team_create")[0]
    assert t6.base_name == "平和县纪委监委" and [m.name for m in t6.members] == ["张真实"]
    member = t6.members[0]
    assert member.skills == ("law",) and member.hometown_county_code == "350628"
    assert member.member_id and member.member_id not in str(page.dataframe[0].value.to_csv())
    assert "新建检查组「第六检查组」" in audit.describe(entry)
    # The new team is now the one in the form, with its saved values, and the new-member row is blank again.
    assert page.selectbox(key="tm_choice").value == "T6"
    assert page.text_input(key="tm_T6_new0_0_name").value == ""


def test_saving_again_after_adding_a_member_does_not_add_them_twice(page: AppTest, engine) -> None:
    """The re-walk: 测试甲 typed as a new member, 保存, then 保存 again — the team had 测试甲 twice. After a save the
    new-member row is a fresh widget (a new key), so nothing typed earlier is submitted again."""
    page.run()
    choice = page.selectbox(key="tm_choice").value
    page.text_input(key=f"tm_{choice}_new0_0_name").input("测试甲")
    _submit(page)
    assert "成员 1 人" in page.success[0].value
    assert not [w for w in page.text_input if w.key == f"tm_{choice}_new0_0_name"]  # the row typed in is gone
    assert page.text_input(key=f"tm_{choice}_new1_0_name").value == ""
    _submit(page)  # 保存 again, e.g. after changing the hours
    assert not page.exception and not page.error
    with session_scope(engine) as s:
        team = load_teams(s, team_ids=(choice,))[0]
    assert [m.name for m in team.members] == ["测试甲"]


def test_editing_a_member_keeps_their_id_and_never_shows_it(page: AppTest, engine) -> None:
    with session_scope(engine) as s:
        t1 = load_teams(s, team_ids=("T1",))[0]
        save_team(s, dataclasses.replace(t1, members=(TeamMember("m-a1", "林一"), TeamMember("m-a2", "陈二"))))
    page.run()
    assert page.selectbox(key="tm_choice").value == "T1"
    page.text_input(key="tm_T1_m_m-a1_name").input("林一新")
    page.selectbox(key="tm_T1_m_m-a1_home").select("350623")
    page.checkbox(key="tm_T1_m_m-a2_drop").check()
    page.text_input(key="tm_T1_name").input("第一检查组（城区）")
    _submit(page)
    assert not page.error, [e.value for e in page.error]
    with session_scope(engine) as s:
        t1 = load_teams(s, team_ids=("T1",))[0]
    assert t1.name == "第一检查组（城区）"
    assert [(m.member_id, m.name, m.hometown_county_code) for m in t1.members] == [("m-a1", "林一新", "350623")]
    shown = "\n".join(str(e.value) for e in [*page.text_input, *page.success]) + page.dataframe[0].value.to_csv()
    assert "林一新" in shown and "m-a1" not in shown


def test_a_stale_form_is_refused(page: AppTest, engine) -> None:
    page.run()
    with session_scope(engine) as s:  # someone else saves T1 after the form was loaded
        t1 = load_teams(s, team_ids=("T1",))[0]
        save_team(s, dataclasses.replace(t1, name="他人改的名"))
    page.text_input(key="tm_T1_name").input("我改的名")
    _submit(page)
    assert page.error and "在你打开表单后已被修改" in page.error[0].value  # what changed, and the form shows it
    assert "组名 第一检查组 → 他人改的名" in page.error[0].value
    with session_scope(engine) as s:
        assert load_teams(s, team_ids=("T1",))[0].name == "他人改的名"


def test_a_taken_team_id_is_refused(page: AppTest, engine) -> None:
    page.run()
    page.selectbox(key="tm_choice").select("__new__").run()
    page.text_input(key="tm___new___id").input("T2")
    page.text_input(key="tm___new___name").input("重复")
    _submit(page)
    assert page.error and "组号 'T2' 已被检查组「第二检查组」使用" in page.error[0].value


@pytest.mark.parametrize("role", ["officer"])
def test_officers_are_refused(page: AppTest, role: str) -> None:
    page.session_state["actor"] = Actor("x", role, ("T1",))
    page.run()
    assert page.error and "无权查看检查组" in page.error[0].value
    assert not page.dataframe


def test_a_leader_reads_only_their_own_teams(page: AppTest, engine) -> None:
    with session_scope(engine) as s:
        t1 = load_teams(s, team_ids=("T1",))[0]
        save_team(s, dataclasses.replace(t1, members=(TeamMember("m-a1", "林一", hometown_county_code="350628"),)))
    page.session_state["actor"] = Actor("lead", "leader", ("T1",))
    page.run()
    assert not page.exception and not page.error
    assert list(page.dataframe[0].value["组名"]) == ["第一检查组"]
    assert list(page.dataframe[1].value["籍贯区县（回避）"]) == ["平和县"]
    assert not page.get("selectbox") and not [b for b in page.button if b.label in ("保存", "新建")]


def test_the_library_refuses_a_leader_and_the_demo_visitor_sees_no_editor(page: AppTest, engine) -> None:
    from planner.errors import PermissionDenied
    from planner.office.teams import edit_team

    with session_scope(engine) as s, pytest.raises(PermissionDenied, match="无权管理检查组"):
        edit_team(s, default_teams()[0], actor=Actor("lead", "leader", ("T1",)), expected_version=1)
    page.session_state["actor"] = security.DEMO_ACTOR
    page.run()
    assert page.info and "演示模式" in page.info[0].value
    assert not [b for b in page.button if b.label in ("保存", "新建")]


def test_teams_csv_round_trip(engine) -> None:
    """Export, change in the file, import: the 组号 updates its team, members are matched by name."""
    import tempfile

    from planner.intake.plan_files import read_teams
    from planner.office.teams import import_teams
    from planner.store.teams import office_teams_csv

    with session_scope(engine) as s:
        for t in default_teams():
            save_team(s, t)
        t1 = load_teams(s, team_ids=("T1",))[0]
        save_team(s, dataclasses.replace(t1, members=(TeamMember("m-a1", "林一", ("law",), "350628"),)))
    with session_scope(engine) as s:
        data = office_teams_csv(load_teams(s, active_only=False)).decode("utf-8-sig")
    assert data.startswith("组号,组名,基地") and "m-a1" not in data and "林一" in data
    data = data.replace("林一\r\n", "林一;黄新\r\n").replace("T5,第五检查组", "T5,第五组（改）")
    data += "T7,第七检查组,,117.6,24.5,08:00,17:00,,,0,,,,,\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "teams.csv"
        path.write_text(data, encoding="utf-8")
        teams_in = read_teams(path)
    with session_scope(engine) as s:
        assert import_teams(s, teams_in, actor=COORD) == {"created": 1, "updated": 5}
    with session_scope(engine) as s:
        by_id = {r.team.team_id: r.team for r in team_records(s)}
    assert next((m.member_id, m.name, m.skills, m.hometown_county_code) for m in by_id["T1"].members) == (
        "m-a1", "林一", ("law",), "350628")
    assert [m.name for m in by_id["T1"].members] == ["林一", "黄新"] and by_id["T1"].members[1].member_id
    assert by_id["T5"].name == "第五组（改）" and by_id["T7"].shift_start_min == 480 and not by_id["T7"].has_break
    # A file without the 成员 column (the planner's own teams.csv of another tool) never empties a team.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "teams.csv"
        path.write_text("组号,组名,基地经度,基地纬度,上班时间,下班时间,午休最早,午休最晚,午休分钟\n"
                        "T1,第一组,117.6,24.5,08:00,17:00,,,0\n", encoding="utf-8")
        with session_scope(engine) as s:
            import_teams(s, read_teams(path), actor=COORD)
    with session_scope(engine) as s:
        assert [m.name for m in load_teams(s, team_ids=("T1",))[0].members] == ["林一", "黄新"]


def test_users_page_offers_exactly_the_database_teams_after_the_demo(engine, monkeypatch) -> None:
    """Walk H: the first admin emptied the teams table but 用户管理 still offered T1-T5 (built-in fallback)."""
    from planner.intake.demo_seed import load_demo_if_empty

    monkeypatch.delenv(security.DEMO_ENV, raising=False)
    monkeypatch.delenv(security.ADMIN_PASSWORD_ENV, raising=False)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert load_demo_if_empty(engine, letters=20) is True
    with session_scope(engine) as s:
        security.bootstrap_admin(s)
    with session_scope(engine) as s:
        t3 = load_teams(s, team_ids=("T3",))[0]
        save_team(s, t3, active=False)  # a switched-off team is still offered (accounts may keep it)
        teams = team_records(s)
    assert [r.team.team_id for r in teams] == ["T1", "T2", "T3", "T4", "T5"]
    assert not any(r.team.members for r in teams)
    at = AppTest.from_file(str(ROOT / "pages" / "users.py"), default_timeout=30)
    at.session_state["actor"] = Actor("admin", "admin")
    at.run()
    assert not at.exception
    assert at.multiselect(key="new_teams").options == [
        "第一检查组（T1）", "第二检查组（T2）", "第三检查组（T3）", "第四检查组（T4）", "第五检查组（T5）"]
    with session_scope(engine) as s:
        t2 = load_teams(s, team_ids=("T2",))[0]
        save_team(s, dataclasses.replace(t2, team_id="T8", name="第八检查组"))
        from planner.store.models import TeamRow

        s.delete(s.get(TeamRow, "T2"))
    at.run()
    options = at.multiselect(key="new_teams").options
    assert "第八检查组（T8）" in options and not [o for o in options if "T2" in o]


def test_users_page_without_teams_points_to_the_teams_page(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        security.create_user(s, "root", PASSWORD, role="admin")
    at = AppTest.from_file(str(ROOT / "pages" / "users.py"), default_timeout=30)
    at.session_state["actor"] = ADMIN
    at.run()
    assert not at.exception
    assert at.multiselect(key="new_teams").options == []
    assert any("检查组" in i.value for i in at.info)


@pytest.mark.parametrize(("role", "shown"), [("coordinator", True), ("leader", True), ("officer", False)])
def test_settings_points_to_the_teams_page(engine, monkeypatch, role: str, shown: bool) -> None:
    """路线规划's "还没有检查组" sends the coordinator to 设置, which had no team section (walk H)."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "pages" / "settings.py"), default_timeout=30)
    at.session_state["actor"] = Actor("x", role, ("T1",))
    at.run()
    assert not at.exception
    assert any("检查组" in c.value and "录入" in c.value for c in at.caption) is shown


@pytest.mark.parametrize(("action", "detail", "said"), [
    ("team_update", {"team": "T1", "team_name": "第一检查组", "members": 3, "active": False},
     "修改检查组「第一检查组」（已停用）：成员 3 人"),
    ("team_import", {"created": 1, "updated": 4}, "导入检查组文件：新建 1 个组，更新 4 个组"),
])
def test_team_audit_entries_read_as_sentences(action: str, detail: dict, said: str) -> None:
    import datetime as dt

    entry = {"at": dt.datetime(2026, 12, 7, 1, 0), "username": "coord", "action": action, "detail": detail}
    text = audit.describe(entry, names={"coord": "陈协调"})
    assert said in text and action not in text and "{" not in text
    assert audit.action_label(action) in ("修改检查组", "导入检查组")


def test_the_pre_made_empty_teams_are_named_as_such(page: AppTest, engine) -> None:
    """Walks A and B (2026-12-03): an office install showed 第一…第五检查组 that nobody had created, with no word on
    what they are; the page now names the teams with nobody in them and says how to rename or switch them off."""
    page.run()
    note = " ".join(i.value for i in page.info)
    assert "第一检查组" in note and "还没有成员" in note and "停用" in note
    with session_scope(engine) as s:
        first = next(t for t in load_teams(s) if t.team_id == "T1")
        save_team(s, dataclasses.replace(first, members=(TeamMember("m1", "林某"),)))
    page.run()
    note = " ".join(i.value for i in page.info)
    assert "第一检查组" not in note and "第二检查组" in note


def test_a_team_of_accounts_lists_them_as_its_members(page: AppTest, engine) -> None:
    """Walk I: 检查组 read 成员 尚未录入 for a team whose leader and officer accounts 行程 names as its members."""
    with session_scope(engine) as s:
        security.create_user(s, "zl1", PASSWORD, role="leader", team_ids=["T1"], display_name="陈组长")
        security.create_user(s, "gb1", PASSWORD, role="officer", team_ids=["T1"], display_name="赵干部")
    page.run()
    assert not page.exception
    table = page.dataframe[0].value
    rows = dict(zip(table["组号"], table["成员"], strict=True))
    assert rows["T1"].startswith("账号：") and "陈组长" in rows["T1"] and "赵干部" in rows["T1"]
    assert rows["T2"] == "尚未录入"
