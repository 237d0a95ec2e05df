"""Two administrators editing the same account at once: the second save is refused, the first one stands."""

from __future__ import annotations

import pytest

from planner.errors import ConflictError
from planner.office.security import create_user, update_user, user_version
from planner.store.database import session_factory
from planner.store.models import UserRow

PASSWORD = "Xiafang-2026-conflict!"


def test_the_second_editor_of_an_account_gets_a_conflict_and_nothing_is_lost(engine) -> None:
    make = session_factory(engine)
    with make() as s:
        create_user(s, "admin0", PASSWORD, role="admin")
        create_user(s, "lin", PASSWORD, role="officer", team_ids=("T1",))
        s.commit()
    with make() as a, make() as b:
        seen_a, seen_b = user_version(a, "lin"), user_version(b, "lin")  # both opened the form at version 1
        update_user(a, "lin", team_ids=("T2",), expected_version=seen_a)
        a.commit()
        with pytest.raises(ConflictError, match="账户 lin 已被他人修改"):
            update_user(b, "lin", role="leader", team_ids=("T3",), expected_version=seen_b)
        b.rollback()
    with make() as s:
        row = s.query(UserRow).filter_by(username="lin").one()
        assert (row.role, list(row.team_ids), row.version) == ("officer", ["T2"], seen_a + 1)
        update_user(s, "lin", display_name="林干部", expected_version=row.version)  # a fresh form saves
        s.commit()
        assert user_version(s, "lin") == seen_a + 2


def test_the_users_page_refuses_a_stale_account_save_and_keeps_the_other_save(engine, monkeypatch) -> None:
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from planner.office.security import Actor, get_actor

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    make = session_factory(engine)
    with make() as s:
        create_user(s, "root", PASSWORD, role="admin")
        create_user(s, "lin", PASSWORD, role="officer", team_ids=("T1",))
        s.commit()
    page = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "pages" / "users.py"), default_timeout=20)
    page.session_state["actor"] = Actor("root", "admin")
    page.run()
    page.selectbox(key="edit_username").select("lin").run()  # the form is open at version 1
    with make() as s:  # another administrator saves the account meanwhile
        update_user(s, "lin", team_ids=("T2",), expected_version=user_version(s, "lin"))
        s.commit()
    page.selectbox(key="edit_lin_role").select("leader")
    page.button[1].click().run()
    assert page.error and "账户 lin 已被他人修改" in page.error[0].value
    assert "表单已恢复为该账户已保存的设置" in page.error[0].value
    with make() as s:
        lin = get_actor(s, "lin")
        assert (lin.role, tuple(lin.team_ids)) == ("officer", ("T2",))  # the other administrator's save stands
    # The form now shows what the other administrator saved (not the stale values), and the change can be redone.
    (role,) = [b for b in page.selectbox if b.label == "角色" and b.key.startswith("edit_lin")]
    (teams,) = [m for m in page.multiselect if m.label == "组" and m.key.startswith("edit_lin")]
    assert (role.value, list(teams.value)) == ("officer", ["T2"])
    role.select("leader")
    page.button[1].click().run()
    assert not page.error
    with make() as s:
        assert (get_actor(s, "lin").role, tuple(get_actor(s, "lin").team_ids)) == ("leader", ("T2",))
