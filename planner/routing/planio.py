"""plan.json and the planner's CSV inputs: read, write and validate (the contract other areas build on)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from planner.domain import Plan, Route, Stop, Team, TeamMember, Unassigned, Visit, VisitType, hhmm, parse_hhmm
from planner.errors import InputError
from planner.office.privacy import plain_cell
from planner.vocabulary import skill_codes

_HHMM = {"type": "string", "pattern": r"^\d{2}:\d{2}$"}
_HHMM_OR_NULL = {"anyOf": [_HHMM, {"type": "null"}]}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_DATE_OR_NULL = {"anyOf": [_DATE, {"type": "null"}]}
_INT = {"type": "integer", "minimum": 0}

#: JSON schema of plan.json (extra keys are allowed so that the contract can grow additively).
PLAN_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Xiafang plan.json",
    "type": "object",
    "required": ["status", "objective", "runtime_s", "routes", "unassigned"],
    "properties": {
        "status": {"type": "string"},
        "objective": {"type": "integer"},
        "runtime_s": {"type": "number", "minimum": 0},
        "start_date": _DATE_OR_NULL,
        "days": _INT,
        "routes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["team", "date", "depart", "return", "travel_s", "distance_m", "break", "stops"],
                "properties": {
                    "team": {"type": "string"},
                    "date": _DATE,
                    "depart": _HHMM,
                    "return": _HHMM,
                    "travel_s": _INT,
                    "distance_m": _INT,
                    "break": {
                        "anyOf": [
                            {"type": "null"},
                            {"type": "object", "required": ["start", "end"],
                             "properties": {"start": _HHMM, "end": _HHMM}},
                        ]
                    },
                    "stops": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["visit", "arrive", "start", "end", "travel_s", "distance_m"],
                            "properties": {
                                "visit": {"type": "string"},
                                "arrive": _HHMM,
                                "start": _HHMM,
                                "end": _HHMM,
                                "travel_s": _INT,
                                "distance_m": _INT,
                            },
                        },
                    },
                },
            },
        },
        "unassigned": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["visit", "reason"],
                "properties": {"visit": {"type": "string"}, "reason": {"type": "string"},
                               "code": {"type": "string"}},
            },
        },
        "visits": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "lon", "lat", "service_min", "priority", "must"],
                "properties": {
                    "id": {"type": "string"},
                    "lon": {"type": "number", "minimum": -180, "maximum": 180},
                    "lat": {"type": "number", "minimum": -90, "maximum": 90},
                    "service_min": _INT,
                    "priority": {"type": "integer", "minimum": 1, "maximum": 5},
                    "must": {"type": "boolean"},
                    "label": {"type": "string"},
                    "visit_type": {"type": "string"},
                    "case_nos": {"type": "array", "items": {"type": "string"}},
                    "window_start": _HHMM_OR_NULL,
                    "window_end": _HHMM_OR_NULL,
                    "earliest_date": _DATE_OR_NULL,
                    "latest_date": _DATE_OR_NULL,
                    "team": {"type": "string"},
                    "date": _DATE_OR_NULL,
                    "group": {"type": "string"},
                    "skills": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "teams": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "depot_lon", "depot_lat", "shift_start", "shift_end"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "base_name": {"type": "string"},
                    "depot_lon": {"type": "number"},
                    "depot_lat": {"type": "number"},
                    "shift_start": _HHMM,
                    "shift_end": _HHMM,
                    "members": {"type": "array", "items": {"type": "object", "required": ["id", "name"]}},
                },
            },
        },
        "cases": {"type": "object"},
    },
}

#: Case fields allowed in plan.json (never petitioner identity).
CASE_FIELDS = ("case_no", "summary", "category", "deadline", "county", "town", "village", "address", "received_date",
               "confidential", "repeats")
# confidential: why the petitioner's identity must not be told on the visit; repeats: the petitioner's later letters
# about it (重复件) that are settled along with it. Both absent when there is nothing to say.


@dataclass(frozen=True, slots=True)
class PlanDocument:
    """A plan with the visits, teams and case details it refers to."""

    plan: Plan
    visits: dict[str, Visit] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    cases: dict[str, dict] = field(default_factory=dict)
    #: The policy it was planned with (a key of ``planner.routing.problem.POLICIES``); "" when not recorded (plans
    #: saved before it was): a re-plan of it plans the same way.
    policy: str = ""


def validate_plan_json(d: Mapping[str, Any]) -> None:
    """Check a plan.json dict against :data:`PLAN_SCHEMA` and the cross-references (stops name known visits).

    Raises
    ------
    InputError
        Naming the first offending path and value.
    """
    import jsonschema

    validator = jsonschema.Draft202012Validator(PLAN_SCHEMA)
    for err in sorted(validator.iter_errors(d), key=lambda e: list(e.path)):
        path = "/".join(str(p) for p in err.absolute_path) or "(top)"
        raise InputError(f"计划文件 plan.json 中 {path} 有误：{err.message}")
    known = {v["id"] for v in d.get("visits", [])}
    if known:
        for r in d["routes"]:
            for s in r["stops"]:
                if s["visit"] not in known:
                    raise InputError(f"plan.json 的线路中站点 {s['visit']!r} 不在走访点中")
    for kind, items in (("visits", d.get("visits") or ()), ("teams", d.get("teams") or ())):
        seen: set[str] = set()
        for item in items:
            key = str(item["id"])
            if key in seen:
                # Two entries with one id would silently collapse into one: refuse instead of losing data.
                raise InputError(f"plan.json 的 {kind} 中编号 {key!r} 出现了两次")
            seen.add(key)
    cases = d.get("cases") or {}
    if not isinstance(cases, Mapping):
        raise InputError(f"plan.json 的 cases 应为以信访件编号为键的对象，收到 {type(cases).__name__}")
    for case_no, c in cases.items():
        if not isinstance(c, Mapping):
            raise InputError(f"plan.json 中信访件 {case_no} 应为对象，收到 {c!r}")
        extra = set(c) - set(CASE_FIELDS)
        if extra:
            raise InputError(f"plan.json 中信访件 {case_no} 含有计划中不允许的字段 {sorted(extra)!r}")


def _t(m: int | None) -> str | None:
    return None if m is None else hhmm(m)


def _d(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def visit_to_json(v: Visit) -> dict[str, Any]:
    """One entry of "visits"."""
    return {
        "id": v.visit_id, "lon": v.lon, "lat": v.lat, "service_min": v.service_min, "priority": v.priority,
        "must": v.must, "label": v.label, "visit_type": v.visit_type.value, "case_nos": list(v.case_nos),
        "window_start": _t(v.window_start_min), "window_end": _t(v.window_end_min),
        "earliest_date": _d(v.earliest_date), "latest_date": _d(v.latest_date),
        "team": v.team_id, "date": _d(v.date), "group": v.group, "skills": list(v.skills),
        "excluded_members": list(v.excluded_members), "locked": v.locked,
    }


def team_to_json(t: Team) -> dict[str, Any]:
    """One entry of "teams" (members by id and name only)."""
    return {
        "id": t.team_id, "name": t.name, "base_name": t.base_name, "depot_lon": t.base_lon, "depot_lat": t.base_lat,
        "shift_start": hhmm(t.shift_start_min), "shift_end": hhmm(t.shift_end_min),
        "members": [{"id": m.member_id, "name": m.name, "skills": list(m.skills)} for m in t.members],
        "skills": list(t.skills), "break_earliest": _t(t.break_earliest_min), "break_latest": _t(t.break_latest_min),
        "break_min": t.break_min, "max_visits_per_day": t.max_visits_per_day, "max_drive_min": t.max_drive_min,
        "dates": [d.isoformat() for d in t.available_dates],
    }


def plan_to_json(
    plan: Plan,
    *,
    visits: Iterable[Visit] = (),
    teams: Iterable[Team] = (),
    cases: Mapping[str, Mapping[str, Any]] | None = None,
    policy: str = "",
) -> dict[str, Any]:
    """The plan.json dict of a plan with its visits, teams and case details (and ``policy``, when known).

    Parameters
    ----------
    plan
        The solver's result.
    visits, teams
        What the plan refers to (written so that map and export need nothing else).
    cases
        Case details by case number; only :data:`CASE_FIELDS` are kept (no petitioner identity).

    Returns
    -------
    dict
        Valid against :data:`PLAN_SCHEMA`.
    """
    routes = []
    for r in plan.routes:
        routes.append({
            "team": r.team_id, "date": r.date.isoformat(), "depart": hhmm(r.depart_min), "return": hhmm(r.return_min),
            "travel_s": int(r.travel_s), "distance_m": int(r.distance_m),
            "break": None if r.break_start_min is None else {"start": hhmm(r.break_start_min),
                                                             "end": hhmm(r.break_end_min)},
            "stops": [{"visit": s.visit_id, "arrive": hhmm(s.arrive_min), "start": hhmm(s.start_min),
                       "end": hhmm(s.end_min), "travel_s": int(s.travel_s), "distance_m": int(s.distance_m)}
                      for s in r.stops],
        })
    return {
        **({"policy": policy} if policy else {}),
        "status": plan.status, "objective": int(plan.objective), "runtime_s": float(plan.runtime_s),
        "start_date": _d(plan.start_date), "days": int(plan.days), "routes": routes,
        "unassigned": [{"visit": u.visit_id, "reason": u.reason, "code": u.reason_code} for u in plan.unassigned],
        "visits": [visit_to_json(v) for v in visits],
        "teams": [team_to_json(t) for t in teams],
        "cases": {str(k): {f: c.get(f) for f in CASE_FIELDS if f in c} for k, c in (cases or {}).items()},
    }


def _date(value: Any, what: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(f"{what}：日期应写作 YYYY-MM-DD（如 2026-12-07），收到 {value!r}") from None


def _time(value: Any, what: str) -> int | None:
    return None if value in (None, "") else parse_hhmm(value, what=what)


def _opt_int(value: Any, what: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InputError(f"{what}：应为整数，收到 {value!r}") from None


def team_from_json(t: Mapping[str, Any], where: str = "team") -> Team:
    """A :class:`Team` from a "teams" entry (break and limits when present)."""
    has_break_keys = "break_earliest" in t
    return Team(
        team_id=str(t["id"]), name=str(t.get("name") or t["id"]),
        base_lon=float(t["depot_lon"]), base_lat=float(t["depot_lat"]), base_name=str(t.get("base_name") or ""),
        members=tuple(TeamMember(str(m["id"]), str(m.get("name", "")), skill_codes(m.get("skills") or ()))
                      for m in t.get("members") or ()),
        skills=skill_codes(t.get("skills") or ()),
        shift_start_min=_time(t.get("shift_start"), f"{where}.shift_start") or 510,
        shift_end_min=_time(t.get("shift_end"), f"{where}.shift_end") or 1050,
        break_earliest_min=_time(t.get("break_earliest"), f"{where}.break_earliest") if has_break_keys else 690,
        break_latest_min=_time(t.get("break_latest"), f"{where}.break_latest") if has_break_keys else 750,
        break_min=int(t.get("break_min") if t.get("break_min") is not None else 90),
        available_dates=tuple(_date(x, f"{where}.dates") for x in t.get("dates") or ()),
        max_visits_per_day=_opt_int(t.get("max_visits_per_day"), f"{where}.max_visits_per_day"),
        max_drive_min=_opt_int(t.get("max_drive_min"), f"{where}.max_drive_min"),
    )


def visit_from_json(v: Mapping[str, Any], where: str = "visit") -> Visit:
    """A :class:`Visit` from a "visits" entry."""
    return Visit(
        visit_id=str(v["id"]), lon=float(v["lon"]), lat=float(v["lat"]),
        service_min=int(v.get("service_min") or 0), priority=int(v.get("priority") or 3), must=bool(v.get("must")),
        case_nos=tuple(str(c) for c in v.get("case_nos") or ()), visit_type=v.get("visit_type") or "investigation",
        label=str(v.get("label") or ""),
        earliest_date=_date(v.get("earliest_date"), f"{where}.earliest_date"),
        latest_date=_date(v.get("latest_date"), f"{where}.latest_date"),
        window_start_min=_time(v.get("window_start"), f"{where}.window_start"),
        window_end_min=_time(v.get("window_end"), f"{where}.window_end"),
        skills=skill_codes(v.get("skills") or ()), excluded_members=tuple(v.get("excluded_members") or ()),
        team_id=str(v.get("team") or ""), date=_date(v.get("date"), f"{where}.date"), group=str(v.get("group") or ""),
        locked=bool(v.get("locked")),
    )


def plan_from_json(d: Mapping[str, Any]) -> PlanDocument:
    """Read a plan.json dict (validated first).

    Raises
    ------
    InputError
        When the document breaks the schema; the message names the path and value.
    """
    validate_plan_json(d)
    try:
        teams = {str(t["id"]): team_from_json(t, f"teams[{i}]") for i, t in enumerate(d.get("teams") or ())}
        visits = {str(v["id"]): visit_from_json(v, f"visits[{i}]") for i, v in enumerate(d.get("visits") or ())}
        routes = []
        for i, r in enumerate(d["routes"]):
            w = f"routes[{i}]"
            brk = r.get("break") or None
            routes.append(Route(
                team_id=str(r["team"]), date=_date(r["date"], f"{w}.date"),
                depart_min=_time(r["depart"], f"{w}.depart"), return_min=_time(r["return"], f"{w}.return"),
                stops=tuple(Stop(str(s["visit"]), _time(s["arrive"], f"{w}.stops[{j}].arrive"),
                                 _time(s["start"], f"{w}.stops[{j}].start"), _time(s["end"], f"{w}.stops[{j}].end"),
                                 int(s["travel_s"]), int(s["distance_m"]))
                            for j, s in enumerate(r["stops"])),
                travel_s=int(r["travel_s"]), distance_m=int(r["distance_m"]),
                break_start_min=_time(brk["start"], f"{w}.break.start") if brk else None,
                break_end_min=_time(brk["end"], f"{w}.break.end") if brk else None,
            ))
        plan = Plan(
            status=str(d["status"]), routes=tuple(routes),
            unassigned=tuple(Unassigned(str(u["visit"]), str(u.get("code") or ""), str(u.get("reason") or ""))
                             for u in d["unassigned"]),
            objective=int(d["objective"]), runtime_s=float(d["runtime_s"]),
            start_date=_date(d.get("start_date"), "start_date"), days=int(d.get("days") or 0),
        )
    except KeyError as exc:
        raise InputError(f"plan.json 缺少字段 {exc.args[0]!r}") from None
    except (TypeError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        # An unknown visit_type or a value of the wrong kind that the schema let through.
        raise InputError(f"plan.json 中有无效的值（{exc}）") from None
    cases = {k: dict(c) for k, c in (d.get("cases") or {}).items()}
    return PlanDocument(plan=plan, visits=visits, teams=teams, cases=cases, policy=str(d.get("policy") or ""))


def write_plan_json(path: str | Path, d: Mapping[str, Any]) -> None:
    """Validate and write plan.json (UTF-8, Chinese kept readable)."""
    validate_plan_json(d)
    Path(path).write_text(json.dumps(d, ensure_ascii=False, indent=1), encoding="utf-8")


def read_plan_json(path: str | Path) -> PlanDocument:
    """Read and validate plan.json from a file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} 不是有效的 JSON（第 {exc.lineno} 行：{exc.msg}）") from None
    return plan_from_json(data)


# ---- CSV inputs of ``python -m planner plan`` ---------------------------------------------------------------


def _rows(path: str | Path, required: Iterable[str],
          synonyms: Mapping[str, tuple[str, ...]] | None = None) -> list[tuple[int, dict[str, str]]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if synonyms is not None and reader.fieldnames:
            from planner.vocabulary import header_map

            mapping = header_map([c.strip() for c in reader.fieldnames if c], synonyms)
            reader.fieldnames = [mapping.get((c or "").strip(), (c or "").strip()) for c in reader.fieldnames]
        cols = {c.strip() for c in reader.fieldnames or ()}
        missing = [c for c in required if c not in cols]
        if missing:
            raise InputError(f"{path} 缺少列 {missing!r}")
        # plain_cell undoes the apostrophe our writers put before a leading = + - @ (formula neutralising).
        return [(n, {k.strip(): plain_cell((v or "").strip()) for k, v in row.items() if k}) for n, row in
                enumerate(reader, start=2)]


def _split(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.replace("；", ";").split(";") if x.strip())


_NAMED_ID = re.compile(r"^[^（(]*[（(]\s*([^（）()]+?)\s*[）)]$")


def _member_ids(text: str) -> tuple[str, ...]:
    """回避人员 as visits.csv writes it, ``王志强（M11）;李明（M12）``, or bare ids ``M11;M12``: the member ids."""
    return tuple(m.group(1) if (m := _NAMED_ID.match(x)) else x for x in _split(text))


def read_visits_csv(path: str | Path) -> list[Visit]:
    """Visits from visits.csv (columns in the CLI contract or their Chinese names, 编号, 经度 …; ``priority`` 1–5 or
    ``must``/必访; ``visit_type`` investigation … or 核查/回访/澄清/座谈).

    Raises
    ------
    InputError
        Naming the file, row and column of a bad value.
    """
    from planner.vocabulary import VISITS_HEADERS

    out = []
    errors: list[str] = []
    first_row: dict[str, int] = {}  # 编号 -> the row it was first seen on
    for n, r in _rows(path, ("id", "lon", "lat", "service_min", "priority"), VISITS_HEADERS):
        w = f"{path} 第 {n} 行"
        # Every value of the row is checked, so that one message lists all of a row's faults, each as
        # "第 N 行 列：问题" (the domain's own checks would stop at the first and name no column).
        row_errors: list[str] = []
        prio = r["priority"].lower()
        must = prio in ("must", "必访")
        if not r["id"]:
            row_errors.append(f"{w} id：不能为空")
        elif r["id"] in first_row:
            # Two visits with one 编号 were taken at upload and refused only at 开始规划, naming no row (walk E).
            row_errors.append(f"{w} id：{r['id']!r} 与第 {first_row[r['id']]} 行重复，每个走访点的编号须不同")
        else:
            first_row[r["id"]] = n
        lon, lat = _kept(row_errors, _num, r["lon"], f"{w} lon"), _kept(row_errors, _num, r["lat"], f"{w} lat")
        service = _kept(row_errors, _num, r["service_min"], f"{w} service_min")
        if service is not None and (service < 0 or service != int(service)):
            row_errors.append(f"{w} service_min：应为不小于 0 的整数（分钟），收到 {r['service_min']!r}")
            service = None
        priority = 5 if must else _kept(row_errors, _priority, prio, f"{w} priority")
        earliest = _kept(row_errors, _date, r.get("earliest_date"), f"{w} earliest_date")
        latest = _kept(row_errors, _date, r.get("latest_date"), f"{w} latest_date")
        if earliest and latest and earliest > latest:
            row_errors.append(f"{w} earliest_date、latest_date：最早日期 {earliest.isoformat()} 晚于最迟日期 "
                              f"{latest.isoformat()}")
        start = _kept(row_errors, _time, r.get("window_start"), f"{w} window_start")
        end = _kept(row_errors, _time, r.get("window_end"), f"{w} window_end")
        if bool(r.get("window_start")) != bool(r.get("window_end")):
            row_errors.append(f"{w} window_start、window_end：须同时填写或同时留空")
        elif start is not None and end is not None and start > end:
            row_errors.append(f"{w} window_start、window_end：开始 {hhmm(start)} 晚于结束 {hhmm(end)}")
        date = _kept(row_errors, _date, r.get("date"), f"{w} date")
        kind = _kept(row_errors, _visit_type, r.get("visit_type", ""), f"{w} visit_type")
        if lon is not None and lat is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
            row_errors.append(f"{w} lon、lat：超出经纬度范围，收到经度 {r['lon']!r}、纬度 {r['lat']!r}")
        elif lon is not None and lat is not None and (outside := _outside_zhangzhou(lon, lat)):
            row_errors.append(f"{w} lon、lat：{r['lon']}, {r['lat']} {outside}")
        if row_errors:
            errors.extend(row_errors)
            continue
        try:
            out.append(Visit(
                visit_id=r["id"], lon=lon, lat=lat, service_min=int(service), priority=priority, must=must,
                earliest_date=earliest, latest_date=latest, window_start_min=start, window_end_min=end,
                skills=skill_codes(r.get("skills", "")), excluded_members=_member_ids(r.get("excluded_members", "")),
                team_id=r.get("team", ""), date=date, group=r.get("group", ""),
                label=r.get("label", ""), case_nos=_split(r.get("case_nos", "")), visit_type=kind,
            ))
        except InputError as exc:
            errors.append(str(exc) if str(path) in str(exc) else f"{w}：{exc}")
    _raise_all(errors)
    return out


@dataclass(frozen=True, slots=True)
class OfficeCheck:
    """What :func:`check_visits_for_office` found: the visits to plan, faults that refuse the file, and warnings."""

    visits: tuple[Visit, ...]
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def check_visits_for_office(visits: Iterable[Visit], *, teams: Mapping[str, str], skills: Iterable[str] = (),
                            where: str = "visits.csv") -> OfficeCheck:
    """Check visits read by :func:`read_visits_csv` against the office's teams and skills.

    Walk E: a visit pinned to ``T9`` (no such team) was read, and the plan later said "指定的T9未参加本次规划" as if
    it existed; a visit needing the skill "魔法" was read without a word.

    Parameters
    ----------
    visits
        As read, in the file's order (the n-th visit is on the file's row n + 1, as the reader numbers rows).
    teams
        Every team of the office, code -> name. A 指定组 written as a team's name is read as its code.
    skills
        Skills some team or member has beyond the vocabulary's (:data:`planner.vocabulary.SKILLS`).
    where
        The file's name, for the messages.

    Returns
    -------
    OfficeCheck
        ``errors``: a 指定组 that is no team (the file is to be corrected); ``warnings``: a 所需专长 that is no known
        skill and no team's (the visit would stay unplanned).
    """
    from planner.vocabulary import SKILLS, VISITS_HEADERS, skill_names

    by_name = {name: code for code, name in teams.items() if name}
    order = [t.code for t in SKILLS] + sorted(set(skills) - {t.code for t in SKILLS})
    known_skills = set(order)
    listed = "、".join(f"{name}（{code}）" if name and name != code else code for code, name in teams.items())
    out, errors, warnings = [], [], []
    for n, v in enumerate(visits, start=2):
        w = f"{where} 第 {n} 行"
        if v.team_id and v.team_id not in teams:
            if v.team_id in by_name:
                v = replace(v, team_id=by_name[v.team_id])
            else:
                errors.append(f"{w} {VISITS_HEADERS['team'][0]}：没有检查组 {v.team_id!r}"
                              + (f"，本单位的检查组有：{listed}" if listed else "，本单位还没有检查组"))
        unknown = [c for c in v.skills if c not in known_skills]
        if unknown:
            names = skill_names(unknown)
            warnings.append(f"{w} {VISITS_HEADERS['skills'][0]}：{names} 不是已知的专长，没有检查组具备，走访点 "
                            f"{v.visit_id} 将排不进计划（已知专长：{skill_names(order)}）。请改正文件后"
                            f"重新上传，或规划后点“不要求{names}专长”。")
        out.append(v)
    return OfficeCheck(tuple(out), tuple(errors), tuple(warnings))


def _outside_zhangzhou(lon: float, lat: float) -> str:
    """Why a WGS-84 point is no place a visit can be ("不在漳州市范围内（…）"), or "" for a point in or near Zhangzhou.

    A point in Shanghai was read and planned: its only trace was "往返车程约 1914 分钟" among the left-out visits
    (walk E). The county polygons decide, with their coastal fallback (islands and the shore stay in).
    """
    from geodata.polygons import county_at

    hit = county_at(lon, lat)
    if hit.code is not None:
        return ""
    where = f"，位于{hit.neighbour}" if hit.neighbour else ""
    return f"不在漳州市范围内（距最近县界约 {hit.distance_km:.0f} km{where}），请核对坐标（应为 WGS-84 经纬度）"


def _kept(errors: list[str], read, *args):
    """``read(*args)``, or None with its error added to ``errors`` (so that a row's other columns are still read)."""
    try:
        return read(*args)
    except InputError as exc:
        errors.append(str(exc))
        return None


def _priority(text: str, what: str) -> int:
    """1-5 (or 必访/must, read by the caller)."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        value = None
    if value is None or value != int(value) or not 1 <= value <= 5:
        raise InputError(f"{what}：应为 1–5 的整数或“必访”，收到 {text!r}")
    return int(value)


def _raise_all(errors: list[str], shown: int = 10) -> None:
    """One error naming every bad row (the first ``shown``), so a file is fixed in one go, not row by row."""
    if errors:
        more = f"\n……另有 {len(errors) - shown} 处错误" if len(errors) > shown else ""
        raise InputError("\n".join(errors[:shown]) + more)


def read_teams_csv(path: str | Path) -> list[Team]:
    """Teams from teams.csv (columns in the CLI contract; empty break columns mean no break).

    Raises
    ------
    InputError
        Naming the file, row and column of a bad value.
    """
    out = []
    req = ("id", "name", "depot_lon", "depot_lat", "shift_start", "shift_end", "break_earliest", "break_latest",
           "break_min")
    errors: list[str] = []
    for n, r in _rows(path, req):
        w = f"{path} 第 {n} 行"
        try:
            out.append(Team(
                team_id=r["id"], name=r["name"] or r["id"], base_lon=_num(r["depot_lon"], f"{w} depot_lon"),
                base_lat=_num(r["depot_lat"], f"{w} depot_lat"), base_name=r.get("base_name", ""),
                shift_start_min=parse_hhmm(r["shift_start"], what=f"{w} shift_start"),
                shift_end_min=parse_hhmm(r["shift_end"], what=f"{w} shift_end"),
                break_earliest_min=_time(r["break_earliest"], f"{w} break_earliest"),
                break_latest_min=_time(r["break_latest"], f"{w} break_latest"),
                break_min=int(_num(r["break_min"] or "0", f"{w} break_min")),
                skills=skill_codes(r.get("skills", "")),
                max_visits_per_day=_opt_int(r.get("max_visits_per_day"), f"{w} max_visits_per_day"),
                max_drive_min=_opt_int(r.get("max_drive_min"), f"{w} max_drive_min"),
                available_dates=tuple(_date(x, f"{w} dates") for x in _split(r.get("dates", ""))),
                members=tuple(TeamMember(m, m) for m in _split(r.get("members", ""))),
            ))
        except InputError as exc:
            errors.append(str(exc) if str(path) in str(exc) else f"{w}：{exc}")
    _raise_all(errors)
    return out


def _visit_type(text: str, what: str) -> VisitType:
    """核查/回访/澄清/座谈 or the codes (investigation …); empty is 核查."""
    text = (text or "").strip()
    for kind in VisitType:
        if text.lower() == kind.value or text == kind.label:
            return kind
    if not text:
        return VisitType.INVESTIGATION
    raise InputError(f"{what}：应为 核查、回访、澄清 或 座谈，收到 {text!r}")


def _num(text: str, what: str) -> float:
    if text is None or not str(text).strip():
        raise InputError(f"{what}：不能为空")
    try:
        return float(text)
    except (TypeError, ValueError):
        raise InputError(f"{what}：应为数字，收到 {text!r}") from None
