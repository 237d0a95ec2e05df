"""The 回访 interval is an office setting: stored with the others, checked, audited, used by proposals and the CLI."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.errors import InputError, PermissionDenied
from planner.followup.common import return_delay_days
from planner.followup.returns import list_followups, propose_return_visits
from planner.office.security import Actor
from planner.office.settings import AppSettings, check_return_delay_days, load_settings, save_settings
from planner.store.models import AuditRow, CaseRow, RectificationRow, SettingRow, VisitOutcomeRow

D = dt.date
ADMIN = Actor(username="admin", role="admin")


def _resolved(session, case_no: str, visited: dt.date) -> CaseRow:
    """A letter resolved on ``visited`` (its outcome on record), not yet proposed a 回访."""
    case = CaseRow(case_no=case_no, received_date=D(2026, 3, 1), deadline=D(2026, 4, 30), content="反映保证金",
                   category="林业", county="平和县", county_code="350628", town="山格镇", village="土田村",
                   lon=117.3, lat=24.4, status="resolved")
    session.add(case)
    session.flush()
    session.add(VisitOutcomeRow(case_id=case.id, visit_date=visited, result="visited", problem_resolved=True,
                                team_id="T3"))
    session.flush()
    return case


def _save_interval(session, days: int, actor: Actor = ADMIN) -> None:
    from dataclasses import replace

    save_settings(session, replace(load_settings(session), return_delay_days=days), actor=actor)
    session.flush()


def test_default_is_30_days(session) -> None:
    assert AppSettings().return_delay_days == 30
    assert load_settings(session).return_delay_days == 30
    assert return_delay_days(session) == 30


@pytest.mark.parametrize("bad", [0, -5, 366, 45.5, "45", True, None, float("nan")])
def test_only_whole_days_from_1_to_365_are_accepted(bad) -> None:
    with pytest.raises(InputError, match=r"回访间隔应为 1 到 365 之间的整天数.*收到"):
        AppSettings(return_delay_days=bad)
    with pytest.raises(InputError, match="1 到 365"):
        check_return_delay_days(bad)


@pytest.mark.parametrize("good", [1, 45, 365, 45.0])
def test_whole_days_in_range_are_kept(good) -> None:
    assert AppSettings(return_delay_days=good).return_delay_days == int(good)


def test_saved_interval_is_stored_with_the_general_settings_and_audited(session) -> None:
    _save_interval(session, 45)
    assert session.get(SettingRow, "general").value["return_delay_days"] == 45
    assert load_settings(session).return_delay_days == 45
    assert return_delay_days(session) == 45
    (audit,) = session.scalars(select(AuditRow).where(AuditRow.action == "settings_change")).all()
    assert audit.username == "admin"
    assert audit.detail["changed"]["general"]["return_delay_days"] == 45
    # Saving other settings keeps it (the general group was rewritten without it before).
    from dataclasses import replace

    save_settings(session, replace(load_settings(session), at_risk_days=5), actor=ADMIN)
    session.flush()
    assert return_delay_days(session) == 45


@pytest.mark.parametrize("role", ["officer", "leader"])
def test_only_roles_that_may_change_settings_change_it(session, role) -> None:
    with pytest.raises(PermissionDenied):
        _save_interval(session, 45, Actor(username="x", role=role))
    assert return_delay_days(session) == 30


def test_coordinator_may_change_it(session) -> None:
    _save_interval(session, 60, Actor(username="coord", role="coordinator"))
    assert return_delay_days(session) == 60


def test_a_value_set_by_hand_in_the_older_followup_group_is_shown_and_kept(session) -> None:
    session.add(SettingRow(key="followup", value={"return_delay_days": 14}))
    session.flush()
    assert load_settings(session).return_delay_days == 14  # what 设置 shows is what proposals use
    _save_interval(session, 21)
    assert return_delay_days(session) == 21  # the page's value (group general) wins from then on


def test_a_stored_value_the_page_could_not_save_is_passed_over(session) -> None:
    session.add(SettingRow(key="general", value={"return_delay_days": 0}))
    session.flush()
    assert return_delay_days(session) == 30
    assert load_settings(session).return_delay_days == 30


def test_proposals_follow_the_setting_for_resolved_letters_and_rectification_checks(session) -> None:
    case = _resolved(session, "C1", D(2026, 4, 1))
    session.add(RectificationRow(case_id=case.id, item="退还保证金", owner="山格镇", due_date=D(2026, 4, 2)))
    session.flush()
    _save_interval(session, 45)
    created = propose_return_visits(session, D(2026, 4, 5))
    due = {t.kind: t.due_date for t in created}
    assert due == {"return_visit": D(2026, 5, 16), "rectification": D(2026, 5, 17)}
    assert "后 45 天" in next(t.description for t in created if t.kind == "return_visit")


def test_an_explicit_delay_overrides_the_setting_and_is_checked(session) -> None:
    _resolved(session, "C1", D(2026, 4, 1))
    _save_interval(session, 45)
    with pytest.raises(InputError, match="1 到 365"):
        propose_return_visits(session, D(2026, 4, 5), delay_days=0)
    (task,) = propose_return_visits(session, D(2026, 4, 5), delay_days=10)
    assert task.due_date == D(2026, 4, 11)
    assert return_delay_days(session) == 45


def _cli_db(engine, interval: int | None) -> str:
    from planner.store.database import session_factory

    with session_factory(engine)() as s:
        _resolved(s, "C1", D(2026, 4, 1))
        if interval is not None:
            _save_interval(s, interval)
        s.commit()
    return engine.url.render_as_string(hide_password=False)


def test_cli_default_follows_the_setting(engine, capsys) -> None:
    from planner.cli import main

    url = _cli_db(engine, 45)
    assert main(["followup", "--today", "2026-04-05", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "回访间隔：化解或整改期限届满后 45 天（按设置）" in out
    assert "C1\t到期 2026-05-16" in out


def test_cli_delay_overrides_for_one_run_and_says_so(engine, capsys) -> None:
    from planner.cli import main
    from planner.store.database import session_factory

    url = _cli_db(engine, 45)
    assert main(["followup", "--today", "2026-04-05", "--delay", "10", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "本次按 --delay 取 10 天（设置为 45 天，未改动）" in out
    assert "C1\t到期 2026-04-11" in out
    with session_factory(engine)() as s:
        assert return_delay_days(s) == 45
        assert [t.task.due_date for t in list_followups(s)] == [D(2026, 4, 11)]


@pytest.mark.parametrize("bad", ["0", "400", "十天", "4.5"])
def test_cli_refuses_a_delay_out_of_range_in_chinese(engine, capsys, bad) -> None:
    from planner.cli import main

    url = _cli_db(engine, None)
    assert main(["followup", "--today", "2026-04-05", "--delay", bad, "--db", url]) == 2
    err = capsys.readouterr().err
    assert "--delay 的回访间隔应为 1 到 365 之间的整天数" in err and bad in err, err
