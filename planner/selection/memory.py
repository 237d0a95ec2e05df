"""An account's last 选件 selection, kept in the database so that a reload of 选件 or 路线规划 finds it again.

Stored as one ``settings`` row per account (``last_selection:<username>``, JSON; no schema change): the visits
built on 选件 (``planio.visit_to_json``: places, case numbers, constraints; no petitioner identity), the trip
(start date, working days, teams) and the 选件 form's choices. Read back with the account's rights checked again:
visits naming cases the account may no longer plan, or that a live plan now sends a team to, are left out, and
teams the account no longer leads are dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus, Visit
from planner.office.clock import local_today
from planner.routing.advice import PlanRequest
from planner.routing.planio import visit_from_json, visit_to_json

PREFIX = "last_selection:"


def _key(username: str) -> str:
    return (PREFIX + str(username))[:100]


@dataclass(frozen=True, slots=True)
class LastSelection:
    """What an account chose last on 选件, as it may still plan it."""

    visits: tuple[Visit, ...]
    trip: PlanRequest | None
    form: dict[str, Any] = field(default_factory=dict)
    dropped: int = 0  # visits left out on reading (rights, now on a live plan, or handled since: 已化解/已澄清/已办结)


def save_selection(session: Session, username: str, visits: Sequence[Visit], trip: PlanRequest | None,
                   form: Mapping[str, Any] | None = None) -> None:
    """Keep ``visits``, ``trip`` and the 选件 ``form`` (JSON-able values) as ``username``'s last selection."""
    from planner.store.models import SettingRow

    value = {
        "visits": [visit_to_json(v) for v in visits],
        "trip": None if trip is None else {"start": trip.start_date.isoformat(), "days": int(trip.days),
                                            "teams": list(trip.team_ids), "policy": trip.policy},
        "form": {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in (form or {}).items()},
    }
    row = session.get(SettingRow, _key(username))
    if row is None:
        session.add(SettingRow(key=_key(username), value=value))
    else:
        row.value = value
    session.flush()


def load_selection(session: Session, actor: Any, *, on: dt.date | None = None) -> LastSelection | None:
    """``actor``'s last selection with their rights checked again; None when there is none (or it is unreadable).
    Letters handled since (已化解, 已澄清, 已办结) are left out, and a trip starting before ``on`` (default: the office
    clock's today) is dropped."""
    from planner.office.authorisation import outside_cases, team_scope
    from planner.store.models import CaseRow, SettingRow
    from planner.store.plans import case_holders

    username = getattr(actor, "username", None)
    if not username:
        return None
    row = session.get(SettingRow, _key(username))
    if row is None or not isinstance(row.value, dict):
        return None
    try:
        visits = [visit_from_json(v) for v in row.value.get("visits") or ()]
        raw = row.value.get("trip")
        trip = None if not raw else PlanRequest(dt.date.fromisoformat(raw["start"]), int(raw["days"]),
                                                tuple(raw.get("teams") or ()), raw.get("policy") or "compact")
    except (KeyError, TypeError, ValueError):  # an older or hand-edited value: start afresh
        return None
    cases = {c for v in visits for c in v.case_nos}
    refused = set(outside_cases(actor, session, cases)) | set(case_holders(session, cases))
    # Walk M: a letter resolved since the selection (已化解 on the last trip) was planned and issued again unnoticed.
    refused |= set(session.scalars(select(CaseRow.case_no).where(
        CaseRow.case_no.in_(sorted(cases)), CaseRow.status.in_([s.value for s in CaseStatus if not s.is_open]))))
    kept = tuple(v for v in visits if not set(v.case_nos) & refused)
    scope = team_scope(actor)
    if trip is not None and scope is not None:
        trip = PlanRequest(trip.start_date, trip.days, tuple(t for t in trip.team_ids if t in scope), trip.policy)
    if trip is not None and trip.start_date < (on or local_today()):  # the planner refuses a past start: start anew
        trip = None
    return LastSelection(kept, trip, dict(row.value.get("form") or {}), len(visits) - len(kept))


def forget_selection(session: Session, username: str) -> None:
    """Drop ``username``'s last selection."""
    from planner.store.models import SettingRow

    row = session.get(SettingRow, _key(username))
    if row is not None:
        session.delete(row)
