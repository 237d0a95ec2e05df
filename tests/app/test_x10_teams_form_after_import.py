"""检查组: the form shows the team as stored once it moved on, and never writes old values back (walk W32).

The admin imported a teams.csv with T1 上班 07:45; the form still said 08:00 (its values from before the import), and
保存 pressed without touching anything wrote 上下班 07:45–17:30 → 08:00–17:30 into the team and the log.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.office import audit
from planner.office.security import Actor
from planner.office.teams import import_teams
from planner.store.database import session_scope
from planner.store.teams import default_teams, load_teams, save_team

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor("root", "admin", display_name="王管理")


@pytest.fixture()
def page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        for t in default_teams():
            save_team(s, dataclasses.replace(t, shift_start_min=8 * 60, shift_end_min=17 * 60 + 30))
    at = AppTest.from_file(str(ROOT / "pages" / "teams.py"), default_timeout=30)
    at.session_state["actor"] = ADMIN
    return at


def _import_t1_at_0745(engine) -> None:
    """What an import of teams.csv (or another session's save) does to T1 while the form is open."""
    with session_scope(engine) as s:
        t1 = load_teams(s, team_ids=("T1",))[0]
        import_teams(s, [dataclasses.replace(t1, shift_start_min=7 * 60 + 45)], actor=ADMIN)


def _start(at: AppTest) -> dt.time:
    (start,) = [w for w in at.time_input if w.label == "上班时间"]
    return start.value


def _save(at: AppTest) -> None:
    next(b for b in at.button if b.label == "保存").click().run()


def _stored_start(engine) -> int:
    with session_scope(engine) as s:
        return load_teams(s, team_ids=("T1",))[0].shift_start_min


def test_the_form_shows_the_imported_hours_and_an_untouched_save_changes_nothing(page: AppTest, engine) -> None:
    page.run()
    assert _start(page) == dt.time(8, 0)
    _import_t1_at_0745(engine)
    page.run()  # any rerun of the page: the form is the team as stored
    assert not page.exception
    assert _start(page) == dt.time(7, 45)
    _save(page)
    assert not page.exception and not page.error, [e.value for e in page.error]
    assert _stored_start(engine) == 7 * 60 + 45
    with session_scope(engine) as s:
        said = audit.describe(audit.recent(s, action="team_update")[0])
    assert "上下班" not in said and "没有改动" in said, said
    assert "没有改动" in page.success[0].value


def test_a_save_on_the_form_loaded_before_the_change_is_refused_and_says_what_changed(page: AppTest, engine) -> None:
    page.run()
    _import_t1_at_0745(engine)
    _save(page)  # pressed on the form as it was before the import
    assert not page.exception
    assert _stored_start(engine) == 7 * 60 + 45  # not written back
    (error,) = [e.value for e in page.error]
    assert error.startswith("未保存：检查组「第一检查组」在你打开表单后已被修改"), error
    assert "上下班 08:00–17:30 → 07:45–17:30" in error and "表单已换成现在保存的值" in error, error
    with session_scope(engine) as s:
        assert not audit.recent(s, action="team_update")
    assert _start(page) == dt.time(7, 45)  # the form now shows the stored team
    _save(page)  # and the next 保存 changes nothing
    assert not page.error and _stored_start(engine) == 7 * 60 + 45
