"""The way back to the day list 行程 opens on, for an officer who went to another day or plan.

On a phone, an officer who chose another day in 换计划、检查组或日期 (or opened the other plan that books the team the
same day) had no way back but that box: the browser's back button does not go back there (行程 keeps the day in the
address by replacing it). 行程 offers one tap back to the day it opens on.

Public API
----------
``home_day(session, actor, today, shown, days) -> TeamDay | None``
    The day 行程 opens on for ``actor`` when another one is ``shown``; None when it is shown (or there is none).
``home_text(home, today) -> str``
    The button's words: ``返回今天的行程``, or ``返回下一个行程日（2026-12-08（周二））``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy.orm import Session

from planner.field.day import TeamDay, officer_day


def home_day(session: Session, actor: Any, today: dt.date, shown: TeamDay,
             days: Collection[dt.date] = ()) -> TeamDay | None:
    """The team-day 行程 opens on for ``actor``, when ``shown`` (plan, team, day on screen) is another one.

    An officer's or leader's is their team's today, or the next day with a route (:func:`officer_day`); for those who
    see every team, today of the plan and team shown when it routes them today (``days``: the team's days in it).
    None when that is the day shown, or there is none."""
    home = officer_day(session, actor, today)
    if home is None and shown.plan_id and today in days:
        home = TeamDay(today, shown.team_id, shown.plan_id)
    if home is None or (home.date, home.team_id, home.plan_id) == (shown.date, shown.team_id, shown.plan_id):
        return None
    return home


def home_text(home: TeamDay, today: dt.date) -> str:
    """``返回今天的行程`` or ``返回下一个行程日（2026-12-08（周二））``."""
    return "返回今天的行程" if home.date == today else f"返回下一个行程日（{home.label(today)}）"
