"""XIAFANG_CLOCK sets the office clock for training and the browser walks: it starts at the given moment and runs
on (a walk that plans "today" at 17:00 found no route, since a plan for today leaves no earlier than now)."""

from __future__ import annotations

import datetime as dt
import time

from planner.office import clock


def test_the_clock_starts_at_the_set_moment_and_runs_on(monkeypatch) -> None:
    monkeypatch.setattr(clock, "_clock_offset", None)
    monkeypatch.setenv(clock.CLOCK_ENV, "2026-12-07T09:00")
    first = clock.local_now()
    assert first.tzinfo is not None and first.utcoffset() == dt.timedelta(hours=8)
    assert dt.timedelta(0) <= first.replace(tzinfo=None) - dt.datetime(2026, 12, 7, 9, 0) < dt.timedelta(seconds=5)
    time.sleep(0.05)
    assert clock.local_now() > first  # it runs on
    assert clock.local_today() == dt.date(2026, 12, 7)


def test_without_the_setting_or_with_a_bad_one_the_real_clock_applies(monkeypatch) -> None:
    monkeypatch.setattr(clock, "_clock_offset", None)
    monkeypatch.delenv(clock.CLOCK_ENV, raising=False)
    real = dt.datetime.now(clock.LOCAL_TZ)
    assert abs(clock.local_now() - real) < dt.timedelta(seconds=5)
    monkeypatch.setenv(clock.CLOCK_ENV, "明天早上")
    assert abs(clock.local_now() - real) < dt.timedelta(seconds=5)
