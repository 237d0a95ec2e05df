"""Walk W12b: 检查组 saved a team as 林志远、林志远 without a word (a member's name typed again as 新成员). The save is
refused with a message naming the member; the team keeps its members."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.domain import TeamMember
from planner.errors import InputError
from planner.office.security import Actor
from planner.office.teams import edit_team
from planner.store.database import session_scope
from planner.store.teams import default_teams, load_teams, save_team, team_records

ROOT = Path(__file__).resolve().parents[2]
COORD = Actor("coord", "coordinator", display_name="陈协调")


@pytest.fixture()
def page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        for t in default_teams():
            save_team(s, t if t.team_id != "T1" else dataclasses.replace(t, members=(TeamMember("m-1", "林志远"),)))
    at = AppTest.from_file(str(ROOT / "pages" / "teams.py"), default_timeout=30)
    at.session_state["actor"] = COORD
    return at


def test_w12c_a_member_typed_again_as_a_new_member_is_refused_with_their_name(page: AppTest, engine) -> None:
    page.run()
    choice = "T1"
    page.selectbox(key="tm_choice").select(choice).run()
    with session_scope(engine) as s:
        before = [m.name for m in load_teams(s, team_ids=(choice,))[0].members]
    assert before == ["林志远"]
    page.text_input(key=f"tm_{choice}_new0_0_name").input(f" {before[0]} ")
    next(b for b in page.button if b.label == "保存").click().run()
    assert not page.exception
    assert page.error and f"成员「{before[0]}」填了两次" in page.error[0].value
    with session_scope(engine) as s:
        assert [m.name for m in load_teams(s, team_ids=(choice,))[0].members] == before


def test_w12c_the_library_refuses_two_new_members_of_one_name(engine) -> None:
    with session_scope(engine) as s:
        for t in default_teams():
            save_team(s, t)
    with session_scope(engine) as s:
        record = next(r for r in team_records(s) if r.team.team_id == "T1")
    team = dataclasses.replace(record.team, members=(TeamMember("", "林志远"), TeamMember("", "林志远")))
    with session_scope(engine) as s, pytest.raises(InputError, match="林志远」填了两次"):
        edit_team(s, team, actor=COORD, expected_version=record.version)


def test_w12c_a_team_saved_with_a_member_twice_before_is_named_on_the_page(page: AppTest, engine) -> None:
    with session_scope(engine) as s:
        t1 = load_teams(s, team_ids=("T1",))[0]
        save_team(s, dataclasses.replace(t1, members=(*t1.members, TeamMember("m-2", "林志远"))))
    page.run()
    assert not page.exception
    said = [w.value for w in page.warning if "填了两次" in w.value]
    assert len(said) == 1 and "第一检查组（林志远）" in said[0] and "移出" in said[0], said
