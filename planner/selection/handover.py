"""A coordinator's 选件 handed over to the leaders of the teams going (walk U: it never reached them).

When a coordinator or administrator builds 走访点 on 选件 for some teams, the visits are shared out among those
teams (:func:`split_for_teams`: a pinned team keeps its visits, a same-day group stays together, 回避 and 专长 are
respected where some team can, otherwise the nearest base with a fair share each) and each team's share is kept as
one ``settings`` row (``selection_handover:<team id>``, JSON; no schema change) with who chose it and when. A leader
of the team reads it back through :func:`planner.selection.memory.load_selection` while they have no newer
selection of their own and have not kept theirs over it (:func:`keep_own`); adopting it makes it their own
selection (:func:`planner.selection.memory.save_selection` with ``handed_over``). A leader only ever reads their own
teams' rows, and the cases in them are checked against their rights again on reading.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import Team, Visit
from planner.office.clock import show_time, utc_now
from planner.routing.advice import PlanRequest
from planner.routing.planio import visit_to_json
from planner.routing.travel import haversine_m

PREFIX = "selection_handover:"
SEEN = "selection_handover_kept:"  # per account: the hand-over (its time) a leader kept their own selection over
ROLE_WORDS = {"admin": "管理员", "coordinator": "协调员", "leader": "组长", "officer": "干部"}


def _key(team_id: str) -> str:
    return (PREFIX + str(team_id))[:100]


def _seen_key(username: str) -> str:
    return (SEEN + str(username))[:100]


@dataclasses.dataclass(frozen=True, slots=True)
class HandOver:
    """Who handed a selection over and when, and how much of it a leader got (after their rights are checked)."""

    by: str  # account name
    by_name: str  # display name (else the account name)
    by_role: str  # admin / coordinator
    at: dt.datetime  # naive UTC, as stored
    team_ids: tuple[str, ...] = ()
    visits: int = 0
    cases: int = 0
    adopted: bool = False  # True once the leader took it as their own selection

    def who(self) -> str:
        return f"{ROLE_WORDS.get(self.by_role, self.by_role)}{self.by_name or self.by}"

    def when(self) -> str:
        return show_time(self.at)[5:]  # 12-05 09:10: the year goes without saying here

    def to_json(self) -> dict[str, Any]:
        return {"by": self.by, "by_name": self.by_name, "by_role": self.by_role, "at": self.at.isoformat(),
                "teams": list(self.team_ids)}

    @classmethod
    def from_json(cls, value: Mapping[str, Any], **kw: Any) -> HandOver | None:
        try:
            return cls(str(value["by"]), str(value.get("by_name") or ""), str(value.get("by_role") or ""),
                       dt.datetime.fromisoformat(str(value["at"])), tuple(value.get("teams") or ()), **kw)
        except (KeyError, TypeError, ValueError):
            return None


def split_for_teams(visits: Sequence[Visit], teams: Sequence[Team]) -> dict[str, tuple[Visit, ...]]:
    """Share ``visits`` out among ``teams`` (the teams going): each visit to exactly one team.

    A visit pinned to one of the teams goes to it; a same-day group goes whole to one team. Of the others, a team
    whose member the visit must avoid (回避), or lacking a skill it needs while another team has it, does not get
    it; the rest go to the nearest base with room left in a fair share (visits ÷ teams, rounded up), the visits
    with most to lose by not going to their nearest base placed first.
    """
    if not teams:
        return {}
    by_id = {t.team_id: t for t in teams}
    out: dict[str, list[Visit]] = {t.team_id: [] for t in teams}
    units: dict[str, list[Visit]] = {}
    for v in visits:
        units.setdefault(f"group:{v.group}" if v.group else f"visit:{v.visit_id}", []).append(v)
    share = math.ceil(len(visits) / len(teams))
    free: list[list[Visit]] = []
    for unit in units.values():
        pinned = next((v.team_id for v in unit if v.team_id in by_id), "")
        if pinned:
            out[pinned].extend(unit)
        else:
            free.append(unit)

    def fit(unit: list[Visit], team: Team) -> bool:
        needs = {s for v in unit for s in v.skills}
        avoid = {m for v in unit for m in v.excluded_members}
        return not avoid & team.member_ids() and needs <= team.all_skills()

    def distances(unit: list[Visit]) -> list[tuple[float, str]]:
        ok = [t for t in teams if fit(unit, t)] or [t for t in teams
                                                     if not {m for v in unit for m in v.excluded_members}
                                                     & t.member_ids()] or list(teams)
        lon = sum(v.lon for v in unit) / len(unit)
        lat = sum(v.lat for v in unit) / len(unit)
        return sorted((haversine_m(lon, lat, t.base_lon, t.base_lat), t.team_id) for t in ok)

    ranked = [(unit, distances(unit)) for unit in free]
    # Most regret first: the units whose second-best team is much further than their best.
    ranked.sort(key=lambda x: (-(x[1][1][0] - x[1][0][0]) if len(x[1]) > 1 else -math.inf, x[0][0].visit_id))
    for unit, options in ranked:
        room = [tid for _, tid in options if len(out[tid]) + len(unit) <= share]
        out[room[0] if room else min(options, key=lambda o: len(out[o[1]]))[1]].extend(unit)
    order = {v.visit_id: i for i, v in enumerate(visits)}
    return {tid: tuple(sorted(vs, key=lambda v: order[v.visit_id])) for tid, vs in out.items()}


def team_leaders(session: Session, team_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Per team, the display names (else account names) of its active leader accounts."""
    from planner.store.models import UserRow

    wanted = set(team_ids)
    out: dict[str, list[str]] = {}
    for user in session.scalars(select(UserRow).where(UserRow.active.is_(True), UserRow.role == "leader")
                                .order_by(UserRow.username)):
        for team_id in user.team_ids or ():
            if team_id in wanted:
                out.setdefault(team_id, []).append((user.display_name or "").strip() or user.username)
    return {t: tuple(names) for t, names in out.items()}


def hand_over(session: Session, actor: Any, visits: Sequence[Visit], trip: PlanRequest, teams: Sequence[Team]
              ) -> dict[str, tuple[Visit, ...]]:
    """Keep each going team's share of ``visits`` for its leaders, as chosen by ``actor`` (a coordinator or
    administrator) now; the shares (team id -> visits). This actor's earlier hand-overs to teams not going now,
    and anyone's to the teams going, are withdrawn: the newest choice for a team stands."""
    from planner.store.models import CaseRow, SettingRow

    going = [t for t in teams if t.team_id in set(trip.team_ids)]
    shares = split_for_teams(visits, going)
    wanted = sorted({c for v in visits for c in v.case_nos})
    statuses = dict(session.execute(select(CaseRow.case_no, CaseRow.status).where(CaseRow.case_no.in_(wanted))).all()) \
        if wanted else {}
    by = str(getattr(actor, "username", "") or "")
    meta = HandOver(by, str(getattr(actor, "display_name", "") or ""), str(getattr(actor, "role", "") or ""),
                    utc_now(), tuple(t.team_id for t in going)).to_json()
    for row in session.scalars(select(SettingRow).where(SettingRow.key.like(PREFIX + "%"))):
        if isinstance(row.value, dict) and (row.value.get("handover") or {}).get("by") == by \
                and row.key not in {_key(t) for t in shares}:
            session.delete(row)
    for team_id, share in shares.items():
        if not share:  # nothing for this team this time: an earlier hand-over to it is withdrawn, none is offered
            if (old := session.get(SettingRow, _key(team_id))) is not None:
                session.delete(old)
            continue
        cases = {c for v in share for c in v.case_nos}
        value = {
            "visits": [visit_to_json(v) for v in share],
            "trip": {"start": trip.start_date.isoformat(), "days": int(trip.days), "teams": [team_id],
                     "policy": trip.policy},
            "form": {},
            "saved_at": meta["at"],
            "statuses": {c: s for c, s in statuses.items() if c in cases},
            "handover": meta,
        }
        row = session.get(SettingRow, _key(team_id))
        if row is None:
            session.add(SettingRow(key=_key(team_id), value=value))
        else:
            row.value = value
    session.flush()
    return shares


def offered(session: Session, actor: Any) -> dict[str, Any] | None:
    """The selection handed over to ``actor``'s teams (the latest hand-over's rows for them, merged), as a stored
    selection value with its ``handover``; None for an account that sees every team or has none handed over."""
    from planner.office.authorisation import is_allowed, team_scope
    from planner.store.models import SettingRow

    scope = team_scope(actor)
    if not scope or not is_allowed(actor, "plan"):
        return None
    rows = [r.value for r in (session.get(SettingRow, _key(t)) for t in sorted(scope))
            if r is not None and isinstance(r.value, dict) and isinstance(r.value.get("handover"), dict)]
    if not rows:
        return None
    latest = max(str(r["handover"].get("at") or "") for r in rows)
    rows = [r for r in rows if str(r["handover"].get("at") or "") == latest]
    if not all(isinstance(r.get("trip"), dict) for r in rows):  # an older or hand-edited value: none offered
        return None
    return {
        "visits": [v for r in rows for v in r.get("visits") or ()],
        "trip": {**rows[0]["trip"], "teams": [t for r in rows for t in (r.get("trip") or {}).get("teams") or ()]},
        "form": {},
        "saved_at": rows[0].get("saved_at"),
        "statuses": {k: s for r in rows for k, s in (r.get("statuses") or {}).items()},
        "handover": {**rows[0]["handover"], "teams": [t for r in rows for t in r["trip"].get("teams") or ()]},
    }


def kept_own_at(session: Session, username: str) -> str:
    """The time (ISO) of the hand-over ``username`` kept their own selection over; "" when none."""
    from planner.store.models import SettingRow

    row = session.get(SettingRow, _seen_key(username))
    return str(row.value.get("at") or "") if row is not None and isinstance(row.value, dict) else ""


def keep_own(session: Session, username: str, at: dt.datetime) -> None:
    """``username`` keeps their own selection over the hand-over made at ``at``: it is not offered again."""
    from planner.store.models import SettingRow

    row = session.get(SettingRow, _seen_key(username))
    if row is None:
        session.add(SettingRow(key=_seen_key(username), value={"at": at.isoformat()}))
    else:
        row.value = {"at": at.isoformat()}
    session.flush()


def handover_note(h: HandOver) -> str:
    """``协调员张三于 12-05 09:10 选定：本组 8 个走访点，共 12 件。`` (a leader of several teams: 你负责的各组)."""
    whose = "本组" if len(h.team_ids) <= 1 else "你负责的各组"
    return f"{h.who()}于 {h.when()} 选定：{whose} {h.visits} 个走访点，共 {h.cases} 件。"
