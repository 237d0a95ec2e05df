"""Minimal plan.json reader used only until ``planner.planio`` is available (same contract, same result shape)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from planner.domain import Plan, Route, Stop, Team, TeamMember, Unassigned, Visit, parse_hhmm
from planner.errors import InputError


@dataclass(frozen=True, slots=True)
class PlanDocument:
    """A plan with the visits, teams and case details it refers to."""

    plan: Plan
    visits: dict[str, Visit] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    cases: dict[str, dict] = field(default_factory=dict)


def _date(value: Any, what: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError(f"{what}: expected YYYY-MM-DD, got {value!r}") from exc


def _time(value: Any, what: str) -> int | None:
    return None if value in (None, "") else parse_hhmm(value, what=what)


def plan_from_json(d: dict) -> PlanDocument:
    """Read a plan document (see the plan.json contract).

    Raises
    ------
    InputError
        When a key is missing or a value has the wrong form; the message names it.
    """
    try:
        teams = {}
        for i, t in enumerate(d.get("teams", [])):
            teams[str(t["id"])] = Team(
                team_id=str(t["id"]),
                name=str(t.get("name") or t["id"]),
                base_lon=float(t["depot_lon"]),
                base_lat=float(t["depot_lat"]),
                base_name=str(t.get("base_name") or ""),
                members=tuple(TeamMember(str(m["id"]), str(m.get("name", ""))) for m in t.get("members", [])),
                shift_start_min=_time(t.get("shift_start"), f"teams[{i}].shift_start") or 510,
                shift_end_min=_time(t.get("shift_end"), f"teams[{i}].shift_end") or 1050,
            )
        visits = {}
        for i, v in enumerate(d.get("visits", [])):
            visits[str(v["id"])] = Visit(
                visit_id=str(v["id"]),
                lon=float(v["lon"]),
                lat=float(v["lat"]),
                service_min=int(v.get("service_min") or 0),
                priority=int(v.get("priority") or 3),
                must=bool(v.get("must")),
                case_nos=tuple(str(c) for c in v.get("case_nos") or ()),
                visit_type=v.get("visit_type") or "investigation",
                label=str(v.get("label") or ""),
                earliest_date=_date(v.get("earliest_date"), f"visits[{i}].earliest_date"),
                latest_date=_date(v.get("latest_date"), f"visits[{i}].latest_date"),
                window_start_min=_time(v.get("window_start"), f"visits[{i}].window_start"),
                window_end_min=_time(v.get("window_end"), f"visits[{i}].window_end"),
                skills=tuple(v.get("skills") or ()),
                team_id=str(v.get("team") or ""),
                date=_date(v.get("date"), f"visits[{i}].date"),
                group=str(v.get("group") or ""),
            )
        routes = []
        for i, r in enumerate(d.get("routes", [])):
            w = f"routes[{i}]"
            brk = r.get("break") or None
            routes.append(
                Route(
                    team_id=str(r["team"]),
                    date=_date(r["date"], f"{w}.date"),
                    depart_min=_time(r["depart"], f"{w}.depart"),
                    return_min=_time(r["return"], f"{w}.return"),
                    stops=tuple(
                        Stop(
                            visit_id=str(s["visit"]),
                            arrive_min=_time(s["arrive"], f"{w}.stops[{j}].arrive"),
                            start_min=_time(s["start"], f"{w}.stops[{j}].start"),
                            end_min=_time(s["end"], f"{w}.stops[{j}].end"),
                            travel_s=int(s.get("travel_s") or 0),
                            distance_m=int(s.get("distance_m") or 0),
                        )
                        for j, s in enumerate(r.get("stops", []))
                    ),
                    travel_s=int(r.get("travel_s") or 0),
                    distance_m=int(r.get("distance_m") or 0),
                    break_start_min=_time(brk["start"], f"{w}.break.start") if brk else None,
                    break_end_min=_time(brk["end"], f"{w}.break.end") if brk else None,
                )
            )
        plan = Plan(
            status=str(d.get("status") or ""),
            routes=tuple(routes),
            unassigned=tuple(
                Unassigned(str(u["visit"]), str(u.get("code") or ""), str(u.get("reason") or ""))
                for u in d.get("unassigned", [])
            ),
            objective=int(d.get("objective") or 0),
            runtime_s=float(d.get("runtime_s") or 0.0),
            start_date=_date(d.get("start_date"), "start_date"),
            days=int(d.get("days") or 0),
        )
    except KeyError as exc:
        raise InputError(f"plan.json: missing key {exc.args[0]!r}") from exc
    except (TypeError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"plan.json: bad value ({exc})") from exc
    return PlanDocument(plan=plan, visits=visits, teams=teams, cases=dict(d.get("cases") or {}))
