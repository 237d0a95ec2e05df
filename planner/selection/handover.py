"""A coordinator's 选件 handed over to the leaders of the teams going (walk U: it never reached them).

When a coordinator or administrator builds 走访点 on 选件 for some teams, the visits are shared out among those
teams (:func:`split_for_teams`: a pinned team keeps its visits, a same-day group stays together, 回避 and 专长 are
respected where some team can, otherwise the nearest base with a fair share each) and each team's share is kept as
one ``settings`` row (``selection_handover:<team id>``, JSON; no schema change) with who chose it and when. A leader
of the team reads it back through :func:`planner.selection.memory.load_selection` while they have no newer
selection of their own and have not kept theirs over it (:func:`keep_own`); adopting it makes it their own
selection (:func:`planner.selection.memory.save_selection` with ``handed_over``). A leader only ever reads their own
teams' rows, and the cases in them are checked against their rights again on reading.

Before the leaders adopt it, the coordinator may move one visit to another team going (:func:`reassign`), under
the same 回避 and 专长 rules; every step (the share-out, a move, a leader adopting or keeping their own) writes an
audit row with teams and counts only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from planner.domain import Team, Visit
from planner.office.clock import show_time, utc_now
from planner.routing.advice import PlanRequest
from planner.routing.planio import visit_to_json
from planner.routing.travel import haversine_m

PREFIX = "selection_handover:"
OWN = "last_selection:"  # an account's own selection (planner.selection.memory)
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
    changed: dt.datetime | None = None  # naive UTC: a visit was moved to (one of) these teams since

    @property
    def newest(self) -> dt.datetime:
        """The hand-over's time, or that of the last visit moved to these teams after it."""
        return max(self.at, self.changed) if self.changed is not None else self.at

    def who(self) -> str:
        return f"{ROLE_WORDS.get(self.by_role, self.by_role)}{self.by_name or self.by}"

    def when(self) -> str:
        return show_time(self.at)[5:]  # 12-05 09:10: the year goes without saying here

    def to_json(self) -> dict[str, Any]:
        out = {"by": self.by, "by_name": self.by_name, "by_role": self.by_role, "at": self.at.isoformat(),
               "teams": list(self.team_ids)}
        if self.changed is not None:
            out["changed"] = self.changed.isoformat()
        return out

    @classmethod
    def from_json(cls, value: Mapping[str, Any], **kw: Any) -> HandOver | None:
        try:
            changed = dt.datetime.fromisoformat(str(value["changed"])) if value.get("changed") else None
            return cls(str(value["by"]), str(value.get("by_name") or ""), str(value.get("by_role") or ""),
                       dt.datetime.fromisoformat(str(value["at"])), tuple(value.get("teams") or ()), changed=changed,
                       **kw)
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


def lock_handovers(session: Session) -> None:
    """Lock, until the transaction ends, every team's hand-over row (PostgreSQL ``SELECT … FOR UPDATE`` in key order;
    SQLite: its write lock), so that a move and a leader adopting at the same moment take turns: the second sees
    what the first did (a leader does not adopt a visit being moved away, nor is a visit moved out of a share being
    adopted)."""
    from planner.store.models import SettingRow

    if session.get_bind().dialect.name == "sqlite":  # pysqlite starts the transaction at its first write
        table = SettingRow.__table__
        session.execute(table.update().where(text("0 = 1")).values(key=table.c.key))
    session.execute(select(SettingRow).where(SettingRow.key.like(PREFIX + "%")).order_by(SettingRow.key)
                    .with_for_update().execution_options(populate_existing=True)).all()


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
    and anyone's to the teams going, are withdrawn: the newest choice for a team stands.

    Raises
    ------
    PermissionDenied
        ``actor`` may not hand visits over to the teams (only coordinators and administrators may).
    """
    from planner.office import audit
    from planner.office.authorisation import authorise
    from planner.store.models import CaseRow, SettingRow

    authorise(actor, "hand_over")
    lock_handovers(session)
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
    audit.record(session, actor, "handover", case_nos=sorted({c for v in visits for c in v.case_nos}),
                 detail={"shares": [_counts(t, vs) for t, vs in shares.items()]})
    session.flush()
    return shares


def _counts(team_id: str, visits: Sequence[Visit]) -> dict[str, Any]:
    return {"team": team_id, "visits": len(visits), "cases": sum(len(v.case_nos) for v in visits)}


def current_shares(session: Session, actor: Any) -> tuple[HandOver | None, dict[str, tuple[Visit, ...]]]:
    """``actor``'s latest hand-over still standing and each going team's share of it now (moves included; a team
    given nothing: empty); (None, {}) when there is none."""
    from planner.routing.planio import visit_from_json

    rows = _own_rows(session, actor)
    if not rows:
        return None, {}
    first = next(iter(rows.values())).value["handover"]
    h = HandOver.from_json(first)
    if h is None:
        return None, {}
    shares: dict[str, tuple[Visit, ...]] = {t: () for t in h.team_ids}
    try:
        for team_id, row in rows.items():
            shares[team_id] = tuple(visit_from_json(v) for v in row.value.get("visits") or ())
    except (KeyError, TypeError, ValueError):  # a hand-edited row: nothing to show or move
        return None, {}
    return h, shares


def _own_rows(session: Session, actor: Any) -> dict[str, Any]:
    """Team id -> the settings row of ``actor``'s latest hand-over to that team."""
    from planner.store.models import SettingRow

    by = str(getattr(actor, "username", "") or "")
    rows = {}
    for row in session.scalars(select(SettingRow).where(SettingRow.key.like(PREFIX + "%")).order_by(SettingRow.key)):
        h = row.value.get("handover") if isinstance(row.value, dict) else None
        if isinstance(h, dict) and h.get("by") == by and isinstance(row.value.get("trip"), dict):
            rows[row.key[len(PREFIX):]] = row
    latest = max((str(r.value["handover"].get("at") or "") for r in rows.values()), default="")
    return {t: r for t, r in rows.items() if str(r.value["handover"].get("at") or "") == latest}


@dataclasses.dataclass(frozen=True, slots=True)
class Moved:
    """What :func:`reassign` moved: the visits (a same-day group goes whole), from which team to which."""

    visits: tuple[Visit, ...]
    from_team: str
    to_team: str
    #: Leaders of the receiving team who had adopted its share: they are offered the changed share again.
    offered_again: tuple[str, ...] = ()

    def cases(self) -> int:
        return sum(len(v.case_nos) for v in self.visits)


def reassign(session: Session, actor: Any, visit_id: str, to_team: str, teams: Sequence[Team]) -> Moved:
    """Move the visit ``visit_id`` (with its letters; a same-day group whole) of ``actor``'s latest hand-over to
    the going team ``to_team``, before the leaders take it.

    The rules of the share-out hold: no team with a member the visit must avoid (回避), nor one lacking a skill it
    needs while another going team has it. A visit the giving team's leader has already adopted into their own
    selection, or whose letters a live plan already routes, is not moved: it would then be planned by two teams
    (the leader is asked to change theirs, or the coordinator makes 生成走访点 again). A receiving team's leader
    who had adopted their share is offered the changed share again.

    Raises
    ------
    PermissionDenied
        ``actor`` may not hand visits over (leaders and officers).
    NotFoundError
        No hand-over of ``actor``'s, or no such visit in it.
    InputError
        ``to_team`` is not going, already has the visit, or may not take it (回避, 专长).
    ConflictError
        A leader of the giving team adopted it already, or a live plan routes its letters.
    """
    from planner.errors import ConflictError, InputError, NotFoundError
    from planner.office import audit
    from planner.office.authorisation import authorise
    from planner.selection.labels import member_names, members_text, skill_names
    from planner.store.models import SettingRow
    from planner.store.plans import case_holders

    authorise(actor, "hand_over")
    lock_handovers(session)  # a leader adopting now waits, then sees the move (and the other way round)
    h, shares = current_shares(session, actor)
    if h is None:
        raise NotFoundError("还没有交给各组的走访点：请先在选件页生成走访点。")
    names = {t.team_id: t.name or t.team_id for t in teams}
    from_team = next((t for t, vs in shares.items() if any(v.visit_id == visit_id for v in vs)), "")
    if not from_team:
        raise NotFoundError(f"走访点 {visit_id!r} 不在最近一次交给各组的走访点中，请刷新页面后重试。")
    visit = next(v for v in shares[from_team] if v.visit_id == visit_id)
    unit = tuple(v for v in shares[from_team] if v.visit_id == visit_id or (visit.group and v.group == visit.group))
    what = f"走访点「{visit.label or visit.visit_id}」" + (f"（连同同日走访的另 {len(unit) - 1} 个点）"
                                                         if len(unit) > 1 else "")
    to_name = names.get(to_team, to_team)
    if to_team == from_team:
        raise InputError(f"{what}已交给{to_name}，不用改派。")
    if to_team not in shares:
        raise InputError(f"{to_name}不是这次参加下访的检查组，不能改派给它；参加的检查组："
                         f"{'、'.join(names.get(t, t) for t in shares)}。")
    target = next((t for t in teams if t.team_id == to_team), None)
    if target is None:
        raise NotFoundError(f"找不到检查组 {to_team!r}（可能已停用），请刷新页面后重试。")
    avoid = {m for v in unit for m in v.excluded_members} & target.member_ids()
    if avoid:
        raise InputError(f"不能改派给{to_name}：{what}须回避该组成员 {members_text(sorted(avoid), member_names(teams))}"
                         "（回避）；请改派给其他组。")
    needs = {s for v in unit for s in v.skills}
    lacking = needs - target.all_skills()
    able = [names.get(t.team_id, t.team_id) for t in teams if t.team_id in shares and needs <= t.all_skills()]
    if lacking and able:
        raise InputError(f"不能改派给{to_name}：{what}需要专长（{skill_names(sorted(lacking))}），该组没有；"
                         f"参加的检查组中{'、'.join(able)}有，可改派给{'该组' if len(able) == 1 else '其中一组'}。")
    cases = sorted({c for v in unit for c in v.case_nos})
    if adopted := _adopted_with(session, from_team, h, set(cases)):
        leader, when = adopted[0]
        raise ConflictError(f"不能改派：{names.get(from_team, from_team)}组长{leader}已于 {show_time(when)[5:]} 采用了"
                            f"本组的选件，{what}已在其选件中。请先与组长商定：由组长在选件页重新选件，"
                            "或重新生成走访点。")
    if held := case_holders(session, cases):
        no, where = next(iter(held.items()))
        raise ConflictError(f"不能改派：信访件 {no} {where}；要改派，请在路线规划中打开该计划调整。")
    offered_again = tuple(leader for leader, _ in _adopted_with(session, to_team, h, None))
    moved = tuple(dataclasses.replace(v, team_id=to_team) if v.team_id else v for v in unit)
    gone, moving = {v.visit_id for v in unit}, set(cases)
    rows = _own_rows(session, actor)
    giving = rows[from_team]
    before = dict(giving.value)
    statuses = dict(before.get("statuses") or {})
    left = [v for v in before.get("visits") or () if str(v.get("id")) not in gone]
    if left:
        giving.value = {**before, "visits": left, "statuses": {c: x for c, x in statuses.items() if c not in moving}}
    else:  # nothing left for that team: nothing is offered to it, as when the share-out gives it none
        session.delete(giving)
    taking = rows.get(to_team)
    if taking is None:  # a going team the share-out gave nothing: its row, as the others', for this hand-over
        taking = SettingRow(key=_key(to_team), value={**before, "visits": [], "statuses": {},
                                                      "trip": {**before["trip"], "teams": [to_team]}})
        session.add(taking)
    taking.value = {**taking.value,
                    "visits": [*(taking.value.get("visits") or ()), *(visit_to_json(v) for v in moved)],
                    "statuses": {**(taking.value.get("statuses") or {}),
                                 **{c: x for c, x in statuses.items() if c in moving}},
                    "handover": {**taking.value["handover"], "changed": utc_now().isoformat()}}
    audit.record(session, actor, "handover_move", case_nos=cases,
                 detail={"from": from_team, "to": to_team, "visits": len(moved), "cases": len(cases)})
    session.flush()
    return Moved(moved, from_team, to_team, offered_again)


def _adopted_with(session: Session, team_id: str, h: HandOver, cases: set[str] | None
                  ) -> list[tuple[str, dt.datetime]]:
    """The leaders of ``team_id`` (display name, when) whose own selection is this hand-over ``h`` adopted, holding
    any of ``cases`` (None: whatever it holds)."""
    from planner.store.models import SettingRow, UserRow

    out = []
    for user in session.scalars(select(UserRow).where(UserRow.active.is_(True), UserRow.role == "leader")
                                .order_by(UserRow.username)):
        if team_id not in (user.team_ids or ()):
            continue
        row = session.get(SettingRow, (OWN + user.username)[:100])
        value = row.value if row is not None and isinstance(row.value, dict) else {}
        mine = value.get("handover") if isinstance(value.get("handover"), dict) else {}
        if not mine.get("adopted") or mine.get("by") != h.by or str(mine.get("at")) != h.at.isoformat():
            continue
        held = {str(c) for v in value.get("visits") or () if isinstance(v, dict) for c in v.get("case_nos") or ()}
        if cases is None or held & cases:
            try:
                when = dt.datetime.fromisoformat(str(value.get("saved_at")))
            except ValueError:
                when = h.at
            out.append(((user.display_name or "").strip() or user.username, when))
    return out


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
        "handover": {**rows[0]["handover"], "teams": [t for r in rows for t in r["trip"].get("teams") or ()],
                     "changed": max((str(r["handover"].get("changed") or "") for r in rows), default="") or None},
    }


def kept_own_at(session: Session, username: str) -> str:
    """The time (ISO) of the hand-over ``username`` kept their own selection over; "" when none."""
    from planner.store.models import SettingRow

    row = session.get(SettingRow, _seen_key(username))
    return str(row.value.get("at") or "") if row is not None and isinstance(row.value, dict) else ""


def keep_own(session: Session, actor: Any, at: dt.datetime, *, offer: HandOver | None = None) -> None:
    """``actor`` keeps their own selection over the hand-over made (or last changed) at ``at``: it is not offered
    again. Audited with the hand-over ``offer`` and how many visits of their own they kept.

    Raises
    ------
    PermissionDenied
        ``actor`` may not plan.
    """
    from planner.office import audit
    from planner.office.authorisation import authorise
    from planner.store.models import SettingRow

    authorise(actor, "plan")
    username = str(getattr(actor, "username", "") or "")
    row = session.get(SettingRow, _seen_key(username))
    if row is None:
        session.add(SettingRow(key=_seen_key(username), value={"at": at.isoformat()}))
    else:
        row.value = {"at": at.isoformat()}
    own = session.get(SettingRow, (OWN + username)[:100])
    detail: dict[str, Any] = {"at": at.isoformat(), "own_visits": len((own.value or {}).get("visits") or ())
                              if own is not None and isinstance(own.value, dict) else 0}
    if offer is not None:
        detail.update(by=offer.by, by_name=offer.by_name, by_role=offer.by_role, teams=list(offer.team_ids),
                      at=offer.at.isoformat())
    audit.record(session, actor, "handover_keep", detail=detail)
    session.flush()


def handover_note(h: HandOver) -> str:
    """``协调员张三于 12-05 09:10 选定：本组 8 个走访点，共 12 件。`` (a leader of several teams: 你负责的各组)."""
    whose = "本组" if len(h.team_ids) <= 1 else "你负责的各组"
    moved = f"、{show_time(h.changed)[5:]} 改派" if h.changed is not None and h.changed > h.at else ""
    return f"{h.who()}于 {h.when()} 选定{moved}：{whose} {h.visits} 个走访点，共 {h.cases} 件。"
