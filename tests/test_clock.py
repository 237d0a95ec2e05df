"""Stored UTC times read as Beijing time everywhere people read them; "today" is Zhangzhou's date."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.office import audit, clock
from planner.store.history import Change
from planner.store.lifecycle import PlanEvent

STORED = dt.datetime(2026, 12, 7, 1, 30)  # naive UTC, as models._now stores it


@pytest.mark.parametrize(("value", "shown"), [
    (STORED, "2026-12-07 09:30"),
    (STORED.replace(tzinfo=dt.UTC), "2026-12-07 09:30"),
    (dt.datetime(2026, 12, 7, 9, 30, tzinfo=clock.LOCAL_TZ), "2026-12-07 09:30"),  # already local: unchanged
    (dt.datetime(2026, 12, 6, 18, 5), "2026-12-07 02:05"),  # crosses midnight into the next local day
    ("2026-12-07T01:30:00+00:00", "2026-12-07 09:30"),  # backup manifests keep ISO text
    ("2026-12-07T01:30:00Z", "2026-12-07 09:30"),
    ("2026-12-07T01:30:00", "2026-12-07 09:30"),
    (dt.date(2026, 12, 7), "2026-12-07"),
    (None, ""),
    ("", ""),
    ("不是时间", "不是时间"),
])
def test_a_stored_time_shows_in_beijing_time(value: object, shown: str) -> None:
    assert clock.show_time(value) == shown


def test_seconds_for_exports() -> None:
    assert clock.show_time(dt.datetime(2026, 12, 7, 1, 30, 5), seconds=True) == "2026-12-07 09:30:05"


def test_the_audit_log_reads_beijing_time() -> None:
    entry = {"at": STORED, "username": "wang", "action": "login", "case_nos": [], "reason": "", "detail": {}}
    assert audit.describe(entry).startswith("2026-12-07 09:30，")
    assert audit.log_table([entry])[0]["时间"] == "2026-12-07 09:30:00"
    locked = {**entry, "username": "system", "action": "login_failed",
              "detail": {"user": "li", "why": "bad_password", "failures": 5, "locked_until": "2026-12-07T01:45:00"}}
    assert "账户锁定到 2026-12-07 09:45" in audit.describe(locked)


def test_the_plan_history_reads_beijing_time() -> None:
    assert PlanEvent(STORED, "张组长", "下发了计划").sentence() == "2026-12-07 09:30，张组长下发了计划。"


def test_history_lines_keep_utc_and_the_display_converts() -> None:
    change = Change(STORED, "wang", "corrected", {"households_visited": {"from": 15, "to": 12}})
    assert change.at == STORED  # storage stays UTC
    assert clock.show_time(change.at) == "2026-12-07 09:30"


def test_today_is_zhangzhou_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 23:30 UTC on 6 December it is already 7 December in Zhangzhou."""

    class _Frozen(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC).astimezone(tz)

    monkeypatch.setattr(clock.dt, "datetime", _Frozen)
    assert clock.local_today() == dt.date(2026, 12, 7)


def test_no_page_or_library_module_formats_a_stored_time_itself() -> None:
    """Every renderer goes through clock.show_time: no strftime on a stored ``.at``/``_at`` time elsewhere."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    bad = []
    for path in [*root.joinpath("planner").rglob("*.py"), *root.joinpath("pages").glob("*.py")]:
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"(\bat|_at|locked_until)\b[^\n]{0,3}\.strftime\(|date\.today\(\)", line):
                bad.append(f"{path.relative_to(root)}:{no}: {line.strip()}")
    assert not bad, "format stored times with planner.clock.show_time, today with clock.local_today:\n" + "\n".join(bad)


def test_a_return_visit_counts_from_the_local_day_a_case_was_resolved(session) -> None:
    """Resolved at 07:00 on 7 December in Zhangzhou (23:00 UTC on the 6th): the 30 days run from the 7th."""
    from planner.followup.returns import propose_return_visits
    from planner.store.models import CaseRow

    session.add(CaseRow(case_no="R1", received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                        content="反映林业站收取保证金", status="resolved", updated_at=dt.datetime(2026, 12, 6, 23, 0)))
    session.flush()
    (task,) = propose_return_visits(session, dt.date(2026, 12, 10), delay_days=30)
    assert task.due_date == dt.date(2027, 1, 6)


def test_records_made_on_the_office_clock_read_the_office_time(session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Walks C and D (office clock 2026-12-08 14:20): an outcome recorded on the 8th read 2026-12-03 in its history
    and audit lines, the real day. Every stored time now comes from the office clock."""
    from planner.store.models import AuditRow, CaseRow

    monkeypatch.setenv(clock.CLOCK_ENV, "2026-12-08T14:20")
    monkeypatch.setattr(clock, "_clock_offset", None)
    session.add(CaseRow(case_no="K1", received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                        content="反映林业站收取保证金"))
    audit.record(session, "wang", "login")
    session.flush()
    row = session.query(CaseRow).filter_by(case_no="K1").one()
    logged = session.query(AuditRow).filter_by(action="login").one()
    for stored in (row.created_at, row.updated_at, logged.at):
        shown = clock.show_time(stored)
        assert shown.startswith("2026-12-08 14:2"), shown
    # Unset, the real clock again.
    monkeypatch.delenv(clock.CLOCK_ENV)
    assert abs(clock.utc_now() - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(seconds=5)
