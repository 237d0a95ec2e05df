"""The field packet's view of a plan: one itinerary per team and day, with stops, cases and the lunch break."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from planner.domain import Petitioner, Route, Stop, Team, Visit, hhmm
from planner.errors import InputError, NotFoundError, PermissionDenied
from planner.office.privacy import field_text
from planner.places.estimates import (
    WrittenVillage,
    county_wide_bound,
    seat_point,
    town_extent,
    town_wide_bound,
    written_village,
    zone_name,
)

#: Time zone of every itinerary (Zhangzhou, no daylight saving).
TZ_NAME = "Asia/Shanghai"


def load_document(source: Any) -> Any:
    """Read a plan document in the plan.json contract.

    Parameters
    ----------
    source
        A path to plan.json, a parsed dict, or a ``PlanDocument`` (returned as is).

    Returns
    -------
    PlanDocument
        With ``.plan``, ``.visits``, ``.teams`` and ``.cases`` (see ``planner.routing.planio``).

    Raises
    ------
    InputError
        When the file is not valid JSON or does not follow the contract.
    """
    if hasattr(source, "plan") and hasattr(source, "visits"):
        return source
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InputError(f"计划文件 {str(path)!r} 不是有效的 JSON（第 {exc.lineno} 行：{exc.msg}）") from exc
    elif isinstance(source, Mapping):
        data = source
    else:
        raise InputError(f"计划应为文件路径、字典或 PlanDocument，收到 {type(source).__name__!r}")
    from planner.routing.planio import plan_from_json

    return plan_from_json(dict(data))


#: Printed beside a case whose petitioner asked for confidentiality (保密).
CONFIDENTIAL_WARNING = "信访人要求保密：走访中不得向被反映人或当地干部透露信访人身份和来信情况"
#: Printed where the petitioner's contact would be when contacts are attached (masked or not) but the petitioner
#: asked for confidentiality: such a letter never carries the petitioner's name or phone on a field sheet.
CONTACT_WITHHELD = "信访人要求保密，不附联系方式"
#: A stop whose point is a seat standing for its village or town may be this far (km) from the real place before the
#: sheets say its times are only a guide (a GeoNames seat is within about 3 km).
ESTIMATE_NOTE_KM = 3.0


def estimate_note(precision_km: float | None, *, village: str = "", town: str = "",
                  written: WrittenVillage | None = None, seat: str = "", town_bound: str = "",
                  point: str = "") -> str:
    """``位置为估计（按全县区范围计，实际地点可能在 24.4 km 内），到达时间仅供参考`` for an estimate over
    :data:`ESTIMATE_NOTE_KM`, else ``""``. With the case's village and town it first says what to do there
    (walk J: "64.1 km", wider than some counties, on every village stop told an officer nothing):
    ``位置为估计：东风村的位置未入库，点为坂仔镇驻地，到镇后按村名问路（乡镇无边界数据，按全县区范围计，实际地点可能在
    64.1 km 内），…``: the bound is the farthest point of the county (:func:`geodata.territory_km`), and says so.
    A village the letter names but the import did not find (``written``) is named, said not found, and asked for
    on arrival; the point and its bound stay the town's (``seat``: whose seat the point is, when not the town's).
    ``point`` says what the point is (:func:`planner.places.estimates.seat_point`: ``火田镇的大致位置，未核实到驻地``,
    ``陈岱镇驻地附近``, ``漳浦县政府驻地``): every stop on one point says it in the same words (walk W13: a village of
    火田镇 said ``点为火田镇驻地`` and the town's own letter on the same point ``未核实到驻地``).
    ``town_bound`` names the town whose known extent (the office's boundary or village points) bounds a village's
    point: ``按山格镇的已知范围计，实际地点可能在 6.3 km 内`` instead of the county's words."""
    if precision_km is None:
        return ""
    # Walk 2: "（实际地点可能在 52.1 km 内）" beside a village did not say why so far: the bound is the county's.
    # A letter naming a village but no town (云霄县白石头村) is bounded by its county whatever towns' outlines.
    km = (town_wide_bound(precision_km, town_bound, within="内") if town_bound and village and not written
          else county_wide_bound(precision_km, why=bool(village or (written and written.town)), within="内"))
    if written is not None and not village:
        bound = f"（{km}）" if precision_km > ESTIMATE_NOTE_KM else ""
        return (f"位置为估计：{written.not_found()}，点为{point or (seat or town or written.town) + '驻地'}，"
                f"{written.ask()}{bound}，到达时间仅供参考")
    if town and not village:  # only the town is known: the place may be anywhere in it, whatever the seat's error
        # Walk U: "（实际地点可能在 48.6 km 内）" on one town-only stop and nothing on the next told nothing; no figure,
        # the same words for every such stop (an estimated seat is said to be only the town's rough position).
        point = point or (f"{town}驻地附近" if precision_km <= ESTIMATE_NOTE_KM else f"{town}的大致位置，未核实到驻地")
        return (f"位置为估计：信中只写到{town}，只定位到乡镇（点为{point}），村未知，所指地点可在{town}内任何位置，"
                "到镇后问路，到达时间仅供参考")
    if precision_km <= ESTIMATE_NOTE_KM:
        return ""
    if village and town and village != town:
        return (f"位置为估计：{village}的位置未入库，点为{point or (seat or town) + '驻地'}，到镇后按村名问路（{km}），"
                "到达时间仅供参考")
    return f"位置为估计（{km}），到达时间仅供参考"


@dataclass(frozen=True, slots=True)
class CaseInfo:
    """What a field sheet shows about one case (no petitioner identity unless unmasked on purpose)."""

    case_no: str
    summary: str = ""
    category: str = ""
    deadline: dt.date | None = None
    county: str = ""
    town: str = ""
    village: str = ""
    address: str = ""
    petitioner: Petitioner | None = None  # already masked unless the export was unmasked
    contact_withheld: bool = False  # contacts were attached, but not this one: the petitioner asked for confidentiality
    confidential: str = ""  # the petitioner asked for confidentiality: the basis in words (a register column ...)
    repeats: str = ""  # later letters of the same petitioner about it, still waiting for it (``ZZ-12、ZZ-19``)
    precision_km: float | None = None  # the point is an estimate (a seat standing for the place): how far off it may be
    written: WrittenVillage | None = None  # a village the letter names that the import did not find (kept to check)
    seat: str = ""  # whose seat an estimated point is, when it is not the town's (the county's)
    town_bound: str = ""  # the town whose known extent bounds the point (not the county): 按山格镇的已知范围计
    point: str = ""  # what an estimated point is (seat_point): 火田镇的大致位置，未核实到驻地, 漳浦县政府驻地
    category_label: str = ""  # the category as people read it: the register's word (三资管理), an inference said so
    systemic: str = ""  # the letter's matter is systemic (关联分析), in counts only: 同类问题另见 3 个县区，共 12 件…

    @classmethod
    def from_json(cls, case_no: str, d: Mapping[str, Any] | None) -> CaseInfo:
        """Build from one entry of the plan document's ``"cases"``; missing fields stay empty."""
        d = d or {}
        deadline = d.get("deadline")
        if isinstance(deadline, str) and deadline:
            try:
                deadline = dt.date.fromisoformat(deadline)
            except ValueError as exc:
                raise InputError(f"信访件 {case_no!r} 的办理期限应写作 YYYY-MM-DD，收到 {deadline!r}") from exc
        elif not isinstance(deadline, dt.date):
            deadline = None
        return cls(
            case_no=case_no,
            # A plan.json written elsewhere (or before masking existed) may hold identities in its text: IDs and
            # phones, and what earlier masking left of them (赖**, 139****1234), are withheld on every field sheet.
            summary=field_text(str(d.get("summary") or "")),
            category=str(d.get("category") or ""),
            deadline=deadline,
            county=str(d.get("county") or ""),
            town=str(d.get("town") or ""),
            village=str(d.get("village") or ""),
            address=field_text(str(d.get("address") or "")),
            confidential=str(d.get("confidential") or ""),
            repeats=str(d.get("repeats") or ""),
            precision_km=_km(d.get("precision_km")),
            # The import's place note, as the database holds it today (enrich_cases): a village it could not match.
            written=written_village(str(d.get("place_note") or "")),
            seat=str(d.get("seat") or ""),
            town_bound=town_extent(str(d.get("place_note") or "")),
            point=str(d.get("point") or ""),
            category_label=str(d.get("category_label") or ""),
            systemic=str(d.get("systemic") or ""),
        )

    def place_text(self) -> str:
        """``平和县山格镇土田村``; a village the letter names but the import did not find keeps its name and says
        so: ``漳浦县旧镇镇后江村（村表无此村，待核对）``."""
        if self.written is not None and not self.village:
            return f"{self.county}{self.town or self.written.town}{self.written.heading()}"
        return "".join(p for p in (self.county, self.town, self.village) if p)

    def confidential_text(self) -> str:
        """The warning a field sheet prints for a petitioner who asked for confidentiality, or ``""``."""
        return f"{CONFIDENTIAL_WARNING}（{self.confidential}）" if self.confidential else ""

    def category_text(self) -> str:
        """The category as every sheet and page writes it: the register's own word with the category it is counted
        under (``三资管理（按村务财务统计）``), ``林业（按内容推断，把握较大）`` for one inferred from the text,
        ``未分类`` when none was given or inferred."""
        return self.category_label or self.category or "未分类"

    def systemic_text(self) -> str:
        """``同类问题另见 3 个县区，共 12 件（跨县系统性问题）`` or ``""``."""
        return self.systemic

    def repeats_text(self) -> str:
        """``同一信访人此后又来信：ZZ-12、ZZ-19（重复件，随本件一并办结）`` or ``""``."""
        return f"同一信访人此后又来信：{self.repeats}（重复件，随本件一并办结）" if self.repeats else ""

    def repeats_short(self) -> str:
        """:meth:`repeats_text` without brackets inside, for a sheet that brackets it (walk U: nested brackets)."""
        return f"同一信访人此后又来信：{self.repeats}，均为重复件，随本件一并办结" if self.repeats else ""

    def petitioner_text(self) -> str:
        """``张** 138****1234``, :data:`CONTACT_WITHHELD` (a 保密 letter in an export with contacts) or ``""``;
        never an ID number, even unmasked (a field sheet does not need it)."""
        if self.contact_withheld:
            return CONTACT_WITHHELD
        if self.petitioner is None:
            return ""
        return " ".join(p for p in (self.petitioner.name, self.petitioner.phone) if p)


def chain_firsts(cases: Sequence[CaseInfo]) -> dict[str, str]:
    """The later letters of a repeat chain among ``cases`` (重复件), each to the chain's first letter there: the one
    handled and recorded. A middle letter lists the later ones too, so a later letter is pointed past every letter
    that is itself a repeat to the one that is none."""
    here = {c.case_no for c in cases}
    listed_by = {no: c.case_no for c in cases for no in c.repeats.split("、") if no in here and no != c.case_no}
    out = {}
    for no, first in listed_by.items():
        seen = {no}
        while first in listed_by and first not in seen:  # a loop (two letters listing each other) stops
            seen.add(first)
            first = listed_by[first]
        if first != no:
            out[no] = first
    return out


def chain_order(cases: Sequence[CaseInfo]) -> tuple[CaseInfo, ...]:
    """``cases`` with each repeat chain together, its first letter then the later ones by date (the first letter's
    list is oldest first); other letters keep their place (walk U: 006, 008, 007, 068 at one stop)."""
    firsts = chain_firsts(cases)
    place = {c.case_no: i for i, c in enumerate(cases)}
    by_no = {c.case_no: c for c in cases}

    def key(c: CaseInfo) -> tuple[int, int]:
        first = firsts.get(c.case_no)
        if first is None:
            return (place[c.case_no], 0)
        later = [no for no in by_no[first].repeats.split("、") if no in by_no]
        return (place[first], 1 + (later.index(c.case_no) if c.case_no in later else len(later)))

    return tuple(sorted(cases, key=key))


def stop_place(visit: Visit, cases: Sequence[CaseInfo]) -> str:
    """The one name of a stop, on 行程, every field sheet and 路线规划 (walk W13: 锁定 said ``V001 云霄县陈岱镇``
    for the stop 行程 calls ``云霄县陈岱镇陈岱村（村表无此村，待核对）``): county/town/village of the first case that
    names one (:meth:`CaseInfo.place_text`, in :func:`chain_order`), else the visit's label, else its id."""
    for c in chain_order(cases):
        text = c.place_text()
        if text:
            return text
    return visit.label or visit.visit_id


def _km(value: Any) -> float | None:
    try:
        km = float(value)
    except (TypeError, ValueError):
        return None
    return km if km == km and km >= 0 else None  # NaN and negatives: no figure


@dataclass(frozen=True, slots=True)
class StopSheet:
    """One stop of an itinerary: the visit, its times, where it is and the cases to handle there."""

    seq: int  # 1-based order in the day
    visit: Visit
    stop: Stop
    cases: tuple[CaseInfo, ...] = ()
    break_before: bool = False  # the lunch break falls on the leg that arrives here
    # ``已改期至 2026-12-08``: a stop of this day recorded 改期 here and moved off it by a re-plan since
    # (:attr:`Itinerary.put_off`); its times are not the day's any more.
    put_off: str = ""
    # ``已完成``, ``已改期，约定 12-09``, ``未找到，已记录``: what was recorded here on the day, as 行程 marks the stop
    # (planner.field.recorded); ``""`` while it waits for a visit.
    outcome: str = ""
    # When its letters were first recorded on the day (planner.field.visit_times.Recorded): the day lists it by then,
    # ``已走访 08:05（原计划 15:06）``; None while nothing is recorded.
    recorded: Any = None

    @property
    def lon(self) -> float:
        """WGS-84 longitude."""
        return self.visit.lon

    @property
    def lat(self) -> float:
        """WGS-84 latitude."""
        return self.visit.lat

    @property
    def arrive(self) -> str:
        """Arrival ``HH:MM``."""
        return hhmm(self.stop.arrive_min)

    @property
    def start(self) -> str:
        """Start of service ``HH:MM``."""
        return hhmm(self.stop.start_min)

    @property
    def end(self) -> str:
        """End of service ``HH:MM``."""
        return hhmm(self.stop.end_min)

    def place(self) -> str:
        """:func:`stop_place`: county/town/village of the first case that names one, else the visit's label."""
        return stop_place(self.visit, self.cases)

    def name(self) -> str:
        """Short name for markers and waypoints: the visit label, else the place."""
        return self.visit.label or self.place()

    def leg_text(self) -> str:
        """The drive that arrives here: ``车程约 25 分钟，18.3 km``; a stop on the very point of the one before whose
        place is only estimated says that the drive between them is not known (walk A: “车程约 0 分钟，0.0 km”
        between two villages placed on one town seat)."""
        if self.stop.distance_m < 50 and self.seq > 1 and self.estimate_text():
            return "与上一站同在一个估计点位，两地之间的实际车程未计入"
        return f"车程约 {round(self.stop.travel_s / 60)} 分钟，{self.stop.distance_m / 1000:.1f} km"

    def estimate_text(self) -> str:
        """:func:`estimate_note` for the stop's least certain case (its point is a town or county seat), or ``""``."""
        placed = [c for c in self.cases if c.precision_km is not None]
        if not placed:
            return ""
        worst = max(placed, key=lambda c: c.precision_km or 0.0)
        return estimate_note(worst.precision_km, village=worst.village, town=worst.town, written=worst.written,
                             seat=worst.seat, town_bound=worst.town_bound, point=worst.point)

    def summaries(self) -> str:
        """Case summaries joined with ``；``."""
        return "；".join(c.summary for c in self.cases if c.summary)

    def earliest_deadline(self) -> dt.date | None:
        """The nearest handling deadline among the stop's cases."""
        dates = [c.deadline for c in self.cases if c.deadline]
        return min(dates) if dates else None


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One line of the day's timeline: departure, travel, a stop, the lunch break or the return."""

    kind: str  # "depart" | "travel" | "stop" | "break" | "return"
    start: str
    end: str
    text: str
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class Itinerary:
    """A team's day: who, from where, the stops in order and the lunch break."""

    team: Team
    route: Route
    stops: tuple[StopSheet, ...]
    plan_status: str = ""
    unmasked: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def date(self) -> dt.date:
        """The day."""
        return self.route.date

    @property
    def depart(self) -> str:
        """Departure from base ``HH:MM``."""
        return hhmm(self.route.depart_min)

    @property
    def return_(self) -> str:
        """Return to base ``HH:MM``."""
        return hhmm(self.route.return_min)

    break_leg: int | None = None  # index of the stop whose incoming leg holds the break; len(stops): return leg
    # What re-plans of the saved plan changed of this team-day (``计划已于 12-07 08:20 调整（第 2 版）：…``), newest
    # first, and the stops recorded 改期 on it that a re-plan then took off it: every sheet of the day shows both
    # (planner.field.replanned).
    notices: tuple[str, ...] = ()
    put_off: tuple[StopSheet, ...] = ()
    # ``走访进度（截至 12-07 11:30）：已完成 1 · 待走访 2（共 3 站）`` once an outcome is recorded on the day.
    progress: str = ""

    def has_break(self) -> bool:
        """True when the lunch break falls within the day (a break scheduled after the return is not shown)."""
        return self.break_leg is not None and self.route.break_start_min is not None

    def break_text(self) -> str:
        """``11:30-13:00`` or ``""``."""
        if not self.has_break():
            return ""
        return f"{hhmm(self.route.break_start_min)}-{hhmm(self.route.break_end_min)}"

    def members_text(self) -> str:
        """Members' names joined with ``、``; a leader account overseeing two or more teams
        (:func:`planner.store.teams.overseeing_leaders`) is named after them as the team's 负责组长, not as one of
        its crew (walk W8: one 组长 read as 成员 of two teams the same day): ``张丽；负责组长：王强``,
        ``—；负责组长：王强``."""
        from planner.store.teams import OVERSEER

        crew = "、".join(m.name for m in self.team.members if not m.member_id.startswith(OVERSEER))
        leads = "、".join(m.name for m in self.team.members if m.member_id.startswith(OVERSEER))
        return f"{crew or '—'}；负责组长：{leads}" if leads else crew

    def title(self) -> str:
        """``第一检查组 2026-12-07 行程单``."""
        return f"{self.team.name or self.team.team_id} {self.date.isoformat()} 行程单"

    def slug(self) -> str:
        """File-name stem: ``<team_id>_<date>`` (safe characters only), ``…_含信访人身份`` when the sheet carries full
        names and phones (walk L: unzipped, they were named like masked files)."""
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in self.team.team_id)
        return f"{safe}_{self.date.isoformat()}" + ("_含信访人身份" if self.unmasked else "")

    def timeline(self) -> tuple[TimelineRow, ...]:
        """Rows in time order; the break sits on the leg where the plan put it (arrival = end + travel + break).

        A leg that holds the break runs from the end of the previous visit to the arrival and says so
        (``含午休``); the break row follows it, ordered by its start.
        """
        base = self.team.base_name or "驻地"
        rows = [TimelineRow("depart", self.depart, self.depart, f"从{base}出发")]
        brk = TimelineRow("break", hhmm(self.route.break_start_min or 0), hhmm(self.route.break_end_min or 0), "午休")
        prev_end = self.route.depart_min
        for s in self.stops:
            text = s.leg_text()
            if s.break_before and self.has_break():
                rows += [TimelineRow("travel", hhmm(prev_end), s.arrive, text + "（含午休）"), brk]
            else:
                rows.append(TimelineRow("travel", hhmm(prev_end), s.arrive, text))
            rows.append(TimelineRow("stop", s.start, s.end, f"{s.seq}. {s.place()}", seq=s.seq))
            prev_end = s.stop.end_min
        if self.has_break() and self.break_leg == len(self.stops):
            rows.append(brk)
        rows.append(TimelineRow("return", self.return_, self.return_, f"返回{base}"))
        return tuple(rows)


def _break_leg(route: Route) -> int | None:
    """Where the lunch break falls: index of the stop whose incoming leg (travel or waiting) holds it,
    ``len(route.stops)`` for the way back to base, or None (no break, or one scheduled after the return)."""
    if route.break_start_min is None or route.break_end_min is None:
        return None
    prev_end = route.depart_min
    for i, s in enumerate(route.stops):
        # Between the previous end and the start of service: on the road or while waiting for a window.
        if prev_end <= route.break_start_min and route.break_end_min <= s.start_min:
            return i
        prev_end = s.end_min
    if prev_end <= route.break_start_min and route.break_end_min <= route.return_min:
        return len(route.stops)
    return None


def _authorize_unmask(actor: Any, session: Any, case_nos: Iterable[str], reason: str,
                      detail: Mapping[str, str] | None = None) -> None:
    """Check the ``unmask`` permission and write one audit row for the export naming ``case_nos``, the cases whose
    contacts it writes (none: nothing revealed, no row)."""
    try:
        from planner.office import audit, security
    except ImportError as exc:  # pragma: no cover - the security area is part of the product
        raise PermissionDenied("unmask: 权限模块不可用，不能导出信访人身份") from exc
    security.require(actor, "unmask")
    reason = (reason or "").strip()
    least = getattr(security, "MIN_REASON_CHARS", 4)
    if len(reason) < least:
        raise InputError(f"导出信访人身份须填写理由（至少 {least} 个字），收到 {reason!r}")
    if session is None:
        raise InputError("导出信访人身份必须写入审计日志，需要数据库会话")
    case_nos = tuple(dict.fromkeys(case_nos))
    if case_nos:
        audit.record(session, actor, "export_unmasked", case_nos=case_nos, reason=reason,
                     detail={"what": "itinerary", **(detail or {})})  # walk H: the row said no format, team or day
        session.flush()


def withholds_contact(doc: Any, case_no: str) -> bool:
    """True when the petitioner of ``case_no`` asked for confidentiality (the plan's case details carry the basis,
    :func:`planner.office.privacy.confidentiality_request`, refreshed from the register by :func:`enrich_cases`):
    their name and phone go on no field sheet, masked or unmasked."""
    return bool(str((doc.cases.get(case_no) or {}).get("confidential") or "").strip())


def _shown_petitioners(doc: Any, petitioners: Mapping[str, Any] | None, unmask: bool) -> dict[str, Petitioner]:
    """What a field sheet shows: masked name and phone, or (unmasked) the real ones; never an ID number, and
    nothing at all for a petitioner who asked for confidentiality (保密). The one place contacts are chosen: the
    sheets of every format and the audit row of an unmasked export read this."""
    out = {}
    for no, p in (petitioners or {}).items():
        if p is None or withholds_contact(doc, no):
            continue
        plain = Petitioner(str(p.name or ""), str(p.phone or ""), str(getattr(p, "id_number", "") or ""))
        shown = plain if unmask else plain.masked()
        out[no] = Petitioner(shown.name, shown.phone, "")
    return out


def _day(doc: Any, team_id: str, day: dt.date, shown: Mapping[str, Petitioner], unmasked: bool,
         contacts: bool = False) -> Itinerary:
    route = doc.plan.route_for(team_id, day)
    if route is None:
        have = ", ".join(f"{r.team_id}/{r.date.isoformat()}" for r in doc.plan.routes) or "none"
        raise NotFoundError(f"计划中没有 {team_id!r} 组 {day.isoformat()} 的线路；计划有：{have}")
    team = doc.teams.get(team_id)
    if team is None:
        raise NotFoundError(f"检查组 {team_id!r} 不在计划中")
    leg = _break_leg(route)
    sheets = []
    for i, s in enumerate(route.stops):
        visit = doc.visits.get(s.visit_id)
        if visit is None:
            raise InputError(f"线路：{team_id!r} 组的站点 {s.visit_id!r} 不在计划的走访点中")
        infos = []
        for no in visit.case_nos:
            info = CaseInfo.from_json(no, doc.cases.get(no))
            # A petitioner who asked for confidentiality: no contact, masked or unmasked (``shown`` holds none);
            # where the contact would be, the sheet says why there is none.
            withheld = contacts and withholds_contact(doc, no)
            infos.append(replace(info, petitioner=None if withheld else shown.get(no), contact_withheld=withheld))
        infos = chain_order(infos)  # a repeat chain together and by date on every sheet
        sheets.append(StopSheet(seq=i + 1, visit=visit, stop=s, cases=infos, break_before=(leg == i)))
    return Itinerary(
        team=team,
        route=route,
        stops=tuple(sheets),
        plan_status=str(getattr(doc.plan, "status", "")),
        unmasked=unmasked and bool(shown),
        break_leg=leg,
    )


def _case_nos(doc: Any, keys: Iterable[tuple[dt.date, str]]) -> list[str]:
    out = []
    for day, team_id in keys:
        route = doc.plan.route_for(team_id, day)
        for s in route.stops if route else ():
            visit = doc.visits.get(s.visit_id)
            out.extend(visit.case_nos if visit else ())
    return out


def build_itinerary(
    doc: Any,
    team_id: str,
    date: dt.date | str,
    *,
    petitioners: Mapping[str, Any] | None = None,
    actor: Any = None,
    unmask: bool = False,
    reason: str = "",
    session: Any = None,
) -> Itinerary:
    """Build the itinerary of one team on one day from a plan document.

    Parameters
    ----------
    doc
        A ``PlanDocument`` (or anything :func:`load_document` accepts).
    team_id, date
        Which route; ``date`` as ``datetime.date`` or ``YYYY-MM-DD``.
    petitioners
        Optional ``case_no -> Petitioner`` (or row with name/phone/id_number) to show whom to meet.
        Masked (张**, 138****1234) unless ``unmask``; ID numbers are never shown. A case whose petitioner asked
        for confidentiality (保密) gets no contact, masked or unmasked: :data:`CONTACT_WITHHELD` stands in its place.
    actor, unmask, reason, session
        Unmasking needs an actor with the ``unmask`` permission and a session for the audit row, which names
        only the cases whose contacts are written (not the 保密 ones).

    Returns
    -------
    Itinerary

    Raises
    ------
    NotFoundError
        When the plan has no route for that team and day.
    PermissionDenied
        When ``unmask`` is asked by an actor who may not.
    """
    doc = load_document(doc)
    day = _parse_date(date)
    shown = _shown_petitioners(doc, petitioners, unmask)
    if unmask and petitioners is not None:  # asked to unmask: the right and the reason, whatever it reveals
        _authorize_unmask(actor, session, [no for no in _case_nos(doc, [(day, team_id)]) if no in shown], reason)
    return _day(doc, team_id, day, shown, bool(unmask), petitioners is not None)


def itineraries(
    doc: Any,
    *,
    team_id: str | None = None,
    date: dt.date | str | None = None,
    petitioners: Mapping[str, Any] | None = None,
    actor: Any = None,
    unmask: bool = False,
    reason: str = "",
    session: Any = None,
    audit_detail: Mapping[str, str] | None = None,
) -> list[Itinerary]:
    """Every itinerary of the plan (optionally only one team and/or one day), sorted by date then team.

    The arguments after ``date`` are those of :func:`build_itinerary`; an unmasked export is checked and
    logged once for all the days it covers, its audit row naming the team, the day and ``audit_detail`` (the
    file's format).

    Raises
    ------
    NotFoundError
        When a filter matches no route.
    """
    doc = load_document(doc)
    day = _parse_date(date) if date is not None else None
    keys = sorted({(r.date, r.team_id) for r in doc.plan.routes if team_id is None or r.team_id == team_id})
    chosen = [(d, t) for d, t in keys if day is None or d == day]
    if not chosen and (team_id or day):
        raise NotFoundError(
            f"计划中没有 {team_id!r} 组 {day.isoformat() if day else '（未指定日期）'} 的线路"
        )
    shown = _shown_petitioners(doc, petitioners, unmask)
    if unmask and petitioners is not None:  # asked to unmask: the right and the reason, whatever it reveals
        _authorize_unmask(actor, session, [no for no in _case_nos(doc, chosen) if no in shown], reason,
                          {"team": str(team_id or ""), "day": day.isoformat() if day else "", **(audit_detail or {})})
    return [_day(doc, t, d, shown, bool(unmask), petitioners is not None) for d, t in chosen]


def _parse_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise InputError(f"日期应写作 YYYY-MM-DD（如 2026-12-07），收到 {value!r}") from exc


def load_petitioners(session: Any, case_nos: Iterable[str]) -> dict[str, Petitioner]:
    """Read the petitioners of some cases from the database (PERSONAL: callers mask or authorise).

    Parameters
    ----------
    session
        Open SQLAlchemy session.
    case_nos
        Cases of interest.

    Returns
    -------
    dict[str, Petitioner]
        ``case_no -> Petitioner`` for the cases that have one.
    """
    from sqlalchemy import select

    from planner.store.models import CaseRow, PetitionerRow

    nos = sorted(set(case_nos))
    if not nos:
        return {}
    rows = session.execute(
        select(CaseRow.case_no, PetitionerRow.name, PetitionerRow.phone, PetitionerRow.id_number)
        .join(PetitionerRow, PetitionerRow.case_id == CaseRow.id)
        .where(CaseRow.case_no.in_(nos))
    ).all()
    return {r[0]: Petitioner(r[1] or "", r[2] or "", r[3] or "") for r in rows}


def enrich_cases(doc: Any, session: Any) -> Any:
    """The plan document as every sheet shows it: case details and team people as the database has them today.

    The one enrichment of every path that shows or exports a plan (行程 whatever the plan's source — just saved or
    issued on 路线规划, reopened, uploaded — :func:`planner.field.export_plan` with a session, ``export --db``), so
    the first view after 下发 equals the view after a reload.

    Parameters
    ----------
    doc
        The plan document.
    session
        Open session; cases not in the database stay as they are (case number only).

    Returns
    -------
    PlanDocument
        A copy with more entries in ``.cases`` (never petitioner identity): details of cases the document lacks,
        保密 from the register, the repeat list (``repeats``), the estimated-point note (``precision_km``, ``seat``,
        ``point``: what the point is, :func:`planner.places.estimates.seat_point`), the import's place note
        (``place_note``: a village the letter names that was not found), the category as
        people read it (``category_label``: the register's word, or said to be inferred) and a systemic matter in
        counts only (``systemic``) as they stand today — for a case in the database the list saved with the plan
        is replaced, and cleared when no later letter waits for it any more (:func:`planner.store.cases.waits_for`)
        — and, for a team planned with no member list, its officer and leader accounts; every team under its
        name now (:func:`planner.store.teams.renamed`).
    """
    from sqlalchemy import select

    from planner.store.cases import confidential_cases, estimated_precision, field_case_details, resent_letters
    from planner.store.matters import systemic_notes
    from planner.store.models import CaseRow
    from planner.store.register_fields import category_labels
    from planner.store.teams import OVERSEER, renamed, team_people

    doc = load_document(doc)
    cases = dict(doc.cases)
    missing = {no for v in doc.visits.values() for no in v.case_nos if no not in cases}
    # Same details as a new plan.json (identities in the text masked, the letter's own names included).
    cases.update(field_case_details(session, missing))
    # A plan saved before the register said 保密 (or before the flag existed) still warns on today's sheets.
    for no, why in confidential_cases(session, set(cases)).items():
        if not cases[no].get("confidential"):
            cases[no] = {**cases[no], "confidential": why}
    # The repeat list and the estimate as they are now, never as saved: a letter planned since as its own stop no
    # longer waits for this one, and a corrected place is no longer an estimate (an empty answer clears the entry).
    rows = session.execute(select(CaseRow.case_no, CaseRow.geocode_message, CaseRow.point_source, CaseRow.county,
                                  CaseRow.village_code, CaseRow.town, CaseRow.town_code, CaseRow.lon, CaseRow.lat)
                           .where(CaseRow.case_no.in_(set(cases)))).all()
    known = {r[0] for r in rows}
    later = resent_letters(session, known)
    # A point that is a seat standing for the place (today's, after any correction): the sheets say so.
    precision = estimated_precision(session, known)
    # The category as the register wrote it with the category it is counted under (三资管理（按村务财务统计）, as 选件,
    # 案件地图 and 统计 name it: walk W25 read 工程 on 行程 and 工程建设 in 统计) or said to be inferred, and a letter's
    # systemic matter in counts only (no other letter, petitioner or team named): as they stand today, like the rest.
    labels = category_labels(session, known, grouped=True)
    systemic = systemic_notes(session, known)
    for no in known:
        entry = {k: v for k, v in cases[no].items()
                 if k not in ("repeats", "precision_km", "place_note", "seat", "point", "category_label", "systemic")}
        if no in later:
            entry["repeats"] = "、".join(later[no])
        if no in precision:
            entry["precision_km"] = precision[no]
        if no in labels:
            entry["category_label"] = labels[no]
        if no in systemic:
            entry["systemic"] = systemic[no]
        cases[no] = entry
    for no, note, source, county, village_code, town, town_code, lon, lat in rows:
        # A village the letter names but the import could not match (旧镇镇没有“后江村”): the sheets name it and
        # say it was not found instead of "信中只写到旧镇镇"; and a point that is the county's seat says so.
        if written_village(note or "") is not None or town_extent(note or ""):
            cases[no]["place_note"] = note
        if no in precision and source == "county_seat" and county:
            cases[no]["seat"] = county
        elif no in precision and source == "unit_seat" and (zone := zone_name(village_code or "")):
            cases[no]["seat"] = zone  # 大地村, counted under 仙都镇, sits on its zone's point (walk R)
        # What the point is, in the same words for every letter on it (walk W13: 点为火田镇驻地 beside 火田镇的大致
        # 位置，未核实到驻地 for the same point).
        if no in precision and (point := seat_point(source or "", county=county or "", town=town or "",
                                                    town_code=town_code or "", lon=lon, lat=lat,
                                                    zone=zone_name(village_code or ""))):
            cases[no]["point"] = point
    # A team planned with no member list: its members now, else the officer/leader accounts on it (用户管理), so the
    # sheets name who goes out instead of "成员：—".
    # A member list made of accounts (account:/leader: ids, saved with the plan by 路线规划) is read again as the
    # accounts are now, like a team with none (walk W8: a 组长 on two teams was saved as 成员 of both).
    # A list with named members and accounts (walk W29) keeps its named members and reads the accounts as they are now.
    derived = {tid for tid, t in doc.teams.items() if any(m.member_id.startswith(("account:", OVERSEER))
                                                          for m in t.members)}
    bare = [replace(t, members=tuple(m for m in t.members if not m.member_id.startswith(("account:", OVERSEER))))
            if tid in derived else t for tid, t in doc.teams.items()]
    people = team_people(session, [t for t in bare if not t.members or t.team_id in derived])
    teams = {tid: replace(t, members=people[tid]) if (not t.members or tid in derived) and tid in people else t
             for tid, t in renamed(session, doc.teams).items()}
    return replace(doc, cases=cases, teams=teams)
