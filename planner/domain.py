"""Domain model in the users' words: petition cases, places, clusters, teams, visits, routes, plans, outcomes.

Conventions
-----------
- Frozen dataclasses with slots; collections are tuples; change through ``dataclasses.replace``.
- Coordinates are WGS-84 ``lon``, ``lat`` everywhere inside the library (``geodata.datum`` converts).
- Units are in field names: ``service_min``, ``travel_s``, ``distance_m``. Times of day are minutes after
  midnight (``*_min`` fields named ``start_min`` etc.; ``hhmm`` formats them); dates are ``datetime.date``.
- Petitioner identity is a separate object (:class:`Petitioner`), never a field of a case: a case only carries an
  opaque ``petitioner_key`` so that repeat letters can be linked without the identity.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
from dataclasses import dataclass, field

from planner.errors import InputError
from planner.office.privacy import mask_free_text, mask_id_number, mask_name, mask_phone
from planner.vocabulary import skill_codes

#: 信访工作条例: a case is handled within 60 days of acceptance, extendable once by up to 30 days.
HANDLING_DAYS = 60
MAX_EXTENSION_DAYS = 30

# Zhangzhou lies around 117.0-118.2 E, 23.5-25.3 N; a generous box catches swapped or foreign coordinates.
ZHANGZHOU_BBOX = (116.7, 23.3, 118.4, 25.5)


def hhmm(minutes: int) -> str:
    """Format minutes after midnight as ``HH:MM`` (``510`` -> ``"08:30"``)."""
    if minutes < 0:
        raise InputError(f"时刻不能为负数，收到 {minutes!r}")
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_hhmm(text: str, *, what: str = "time") -> int:
    """Parse ``HH:MM`` (also ``H:MM``, ``HH：MM`` with a full-width colon) into minutes after midnight.

    Raises
    ------
    InputError
        If the text is not a valid time of day; the message names ``what``.
    """
    m = re.fullmatch(r"\s*(\d{1,2})[:：](\d{2})(?::\d{2})?\s*", str(text))
    if not m or int(m.group(1)) > 24 or int(m.group(2)) > 59:
        raise InputError(f"{what}：时间应写作 HH:MM（如 08:30），收到 {text!r}")
    return int(m.group(1)) * 60 + int(m.group(2))


class Precision(enum.StrEnum):
    """How precisely an address was resolved."""

    VILLAGE = "village"
    TOWN = "town"
    COUNTY = "county"
    NONE = "none"


class CaseStatus(enum.StrEnum):
    """Where a petition case is in its life (the UI shows :attr:`label`)."""

    REGISTERED = "registered"  # 已登记
    SELECTED = "selected"  # 已选件 (on a visit list)
    PLANNED = "planned"  # 已排程
    VISITED = "visited"  # 已下访
    RESOLVED = "resolved"  # 已化解
    CLARIFIED = "clarified"  # 已澄清
    CLOSED = "closed"  # 已办结 / 息诉息访

    @property
    def label(self) -> str:
        """Chinese label."""
        return _STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        """True while the case still needs handling."""
        return self not in (CaseStatus.RESOLVED, CaseStatus.CLARIFIED, CaseStatus.CLOSED)


_STATUS_LABELS = {
    CaseStatus.REGISTERED: "已登记",
    CaseStatus.SELECTED: "已选件",
    CaseStatus.PLANNED: "已排程",
    CaseStatus.VISITED: "已下访",
    CaseStatus.RESOLVED: "已化解",
    CaseStatus.CLARIFIED: "已澄清",
    CaseStatus.CLOSED: "已办结",
}

#: A saved plan's status by its stored value (``planner.store.lifecycle.PlanStatus``), as the UI names it.
PLAN_STATUS_LABELS = {"draft": "草稿", "issued": "已下发", "in_progress": "执行中", "done": "已完成"}


class VisitType(enum.StrEnum):
    """Kind of field visit; drives service time and the checklist."""

    INVESTIGATION = "investigation"  # 核查
    RETURN = "return"  # 回访
    CLARIFICATION = "clarification"  # 澄清
    FORUM = "forum"  # 座谈

    @property
    def label(self) -> str:
        """Chinese label."""
        return {"investigation": "核查", "return": "回访", "clarification": "澄清", "forum": "座谈"}[self.value]


class Datum(enum.StrEnum):
    """Coordinate reference of a point as written in a register."""

    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


#: 访前五问: asked before every visit and printed on each visit sheet.
FIVE_QUESTIONS: tuple[str, ...] = (
    "反映的主要问题是什么？诉求是否合理合法？",
    "问题涉及哪些单位和人员？职责如何划分？",
    "此前是否已办理、处理结果如何、信访人为何仍不满意？",
    "现场需要核实哪些事实、调取哪些材料、走访哪些群众？",
    "可能的化解办法和风险点是什么？需要哪些部门协同？",
)


#: Point sources that stand for an area, not for the place itself.
ESTIMATED_POINT_SOURCES = frozenset({"town_seat", "unit_seat", "county_seat"})


@dataclass(frozen=True, slots=True)
class Location:
    """A resolved place: administrative names and codes plus a WGS-84 point (may be a town seat)."""

    lon: float | None = None
    lat: float | None = None
    county: str = ""
    county_code: str = ""
    town: str = ""
    town_code: str = ""
    village: str = ""
    village_code: str = ""
    precision: Precision = Precision.NONE
    # Where the point comes from: town_seat/unit_seat/county_seat (an estimate shared by the whole area),
    # register, imported, corrected, case_corrected, ...; and how far the place may be from it.
    point_source: str = ""
    precision_km: float | None = None

    def __post_init__(self) -> None:
        if (self.lon is None) != (self.lat is None):
            raise InputError(f"经度和纬度须同时填写或同时留空，收到 {self.lon!r}、{self.lat!r}")
        if self.lon is not None and not (-180 <= self.lon <= 180 and -90 <= self.lat <= 90):
            raise InputError(f"坐标超出范围：经度 {self.lon!r}，纬度 {self.lat!r}")
        object.__setattr__(self, "precision", Precision(self.precision))

    @property
    def has_point(self) -> bool:
        """True when the location carries a coordinate."""
        return self.lon is not None

    @property
    def estimated(self) -> bool:
        """True when the point is a seat standing for a whole town or county (other cases share it)."""
        return self.has_point and self.point_source in ESTIMATED_POINT_SOURCES

    def in_zhangzhou_box(self) -> bool:
        """True when the point lies in a generous box around Zhangzhou."""
        if not self.has_point:
            return False
        x0, y0, x1, y1 = ZHANGZHOU_BBOX
        return x0 <= self.lon <= x1 and y0 <= self.lat <= y1

    def place_name(self) -> str:
        """County/town/village joined, e.g. ``平和县山格镇土田村``."""
        return "".join(p for p in (self.county, self.town, self.village) if p)

    def seat_name(self) -> str:
        """Whose seat an estimated point is: the county's when it is the county seat (a town whose village did not
        match stays named, but its point is the county's), else the town's, else the county's."""
        if self.point_source == "county_seat":
            return self.county
        return self.town or self.county

    def place_key(self) -> str:
        """The most precise administrative code known (village, else town, else county), or ``""``."""
        return self.village_code or self.town_code or self.county_code


#: What a register writes in 信访人 for a letter whose writer is unknown: no name to link letters or mask by.
NO_NAME_WORDS = frozenset({"匿名", "无", "不详", "无名", "无名氏", "匿名信", "未署名", "未知"})


@dataclass(frozen=True, slots=True)
class Petitioner:
    """Identity of a petitioner (信访人). PERSONAL: only roles allowed to unmask may see these fields."""

    name: str = ""
    phone: str = ""
    id_number: str = ""

    def key(self) -> str:
        """Opaque, stable key for linking repeat letters without revealing the identity.

        The ID number identifies a person best; otherwise name + phone. Empty when nothing is known.
        """
        digits = re.sub(r"\D", "", self.phone)
        basis = self.id_number.strip().upper() or (
            f"{self.name.strip()}|{digits}" if (self.name.strip() or digits) else ""
        )
        if not basis:
            return ""
        return hashlib.sha256(("xiafang-petitioner|" + basis).encode()).hexdigest()[:20]

    def masked(self) -> Petitioner:
        """The same petitioner with every field masked (张**, 138****1234, no ID digits)."""
        return Petitioner(mask_name(self.name), mask_phone(self.phone), mask_id_number(self.id_number))


@dataclass(frozen=True, slots=True)
class PetitionCase:
    """A petition or report letter (信访举报件) as registered by the office."""

    case_no: str
    received_date: dt.date
    content: str
    category: str = ""
    source: str = ""  # 来信, 来访, 网络举报, 12388 电话, 上级转办 ...
    title: str = ""
    reported_persons: tuple[str, ...] = ()
    reported_units: tuple[str, ...] = ()
    address_text: str = ""
    location: Location = field(default_factory=Location)
    petitioner_key: str = ""
    status: CaseStatus = CaseStatus.REGISTERED
    deadline: dt.date | None = None  # handling deadline; defaults to received + 60 days
    extension_days: int = 0
    people_affected: int = 0
    needs_site_visit: bool = True
    severity: int = 3  # 1 (minor) .. 5 (grave)

    def __post_init__(self) -> None:
        if not str(self.case_no).strip():
            raise InputError("信访件须有编号，现为空")
        if not isinstance(self.received_date, dt.date):
            raise InputError(f"收件日期应为日期（如 2026-12-07），收到 {self.received_date!r}")
        if not 0 <= self.extension_days <= MAX_EXTENSION_DAYS:
            raise InputError(
                f"办理期限最多只能延长一次、{MAX_EXTENSION_DAYS} 天，收到 {self.extension_days!r}"
            )
        if not 1 <= self.severity <= 5:
            raise InputError(f"严重程度应为 1 到 5，收到 {self.severity!r}")
        object.__setattr__(self, "status", CaseStatus(self.status))
        object.__setattr__(self, "reported_persons", tuple(self.reported_persons))
        object.__setattr__(self, "reported_units", tuple(self.reported_units))
        if self.deadline is None:
            object.__setattr__(self, "deadline", self.received_date + dt.timedelta(days=HANDLING_DAYS))

    def due_date(self) -> dt.date:
        """The handling deadline including any extension."""
        return self.deadline + dt.timedelta(days=self.extension_days)

    def days_left(self, today: dt.date) -> int:
        """Days until the handling deadline (negative when overdue)."""
        return (self.due_date() - today).days

    def deadline_state(self, today: dt.date, *, at_risk_days: int = 10) -> str:
        """``"overdue"``, ``"at_risk"`` (within ``at_risk_days``) or ``"ok"``; closed cases are ``"ok"``."""
        if not self.status.is_open:
            return "ok"
        left = self.days_left(today)
        if left < 0:
            return "overdue"
        return "at_risk" if left <= at_risk_days else "ok"

    def summary(self, max_chars: int = 60) -> str:
        """Short one-line summary of the content for lists and visit sheets: ID numbers and phones written in the
        letter are masked before shortening (``planner.office.privacy.mask_free_text``), so no list shows one."""
        text = mask_free_text(re.sub(r"\s+", " ", self.title or self.content).strip())
        return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


@dataclass(frozen=True, slots=True)
class Cluster:
    """A group of related letters: the same matter (``issue``), at one place (``hotspot``), or a repeat chain."""

    cluster_id: str
    kind: str  # "issue" | "hotspot" | "repeat"
    label: str
    case_nos: tuple[str, ...]
    county_codes: tuple[str, ...] = ()
    town_codes: tuple[str, ...] = ()
    parent_id: str = ""  # a hotspot's issue cluster
    key_terms: tuple[str, ...] = ()
    reported: tuple[str, ...] = ()  # units and persons reported
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    systemic: bool = False

    def __post_init__(self) -> None:
        if self.kind not in ("issue", "hotspot", "repeat"):
            raise InputError(
                f"关联类型应为 issue（同类问题）、hotspot（热点）或 repeat（重复举报），收到 {self.kind!r}")
        object.__setattr__(self, "case_nos", tuple(self.case_nos))

    @property
    def size(self) -> int:
        """Number of letters."""
        return len(self.case_nos)


@dataclass(frozen=True, slots=True)
class TeamMember:
    """An officer on a team, with what matters for skills and 回避 (recusal)."""

    member_id: str
    name: str
    skills: tuple[str, ...] = ()
    hometown_county_code: str = ""
    hometown_town_code: str = ""
    former_postings: tuple[str, ...] = ()  # county or town codes
    relations: tuple[str, ...] = ()  # declared relationships: names of persons or units

    def __post_init__(self) -> None:
        # Skills are held as vocabulary codes, whether written 林业 or forestry, so matching never depends on wording.
        object.__setattr__(self, "skills", skill_codes(self.skills))


@dataclass(frozen=True, slots=True)
class Team:
    """An inspection team (检查组) that goes out from a base for a shift each working day."""

    team_id: str
    name: str
    base_lon: float
    base_lat: float
    base_name: str = ""
    members: tuple[TeamMember, ...] = ()
    skills: tuple[str, ...] = ()  # in addition to the members' skills
    shift_start_min: int = 8 * 60 + 30
    shift_end_min: int = 17 * 60 + 30
    break_earliest_min: int | None = 11 * 60 + 30
    break_latest_min: int | None = 12 * 60 + 30
    break_min: int = 90
    available_dates: tuple[dt.date, ...] = ()  # empty: every working day of the horizon
    max_visits_per_day: int | None = None
    max_drive_min: int | None = None

    def __post_init__(self) -> None:
        if not str(self.team_id).strip():
            raise InputError("检查组须有编号，现为空")
        if not self.shift_start_min < self.shift_end_min <= 24 * 60:
            raise InputError(
                f"检查组 {self.team_id}：下班时间须晚于上班时间，收到 "
                f"{hhmm(self.shift_start_min)}-{hhmm(self.shift_end_min)}"
            )
        if (self.break_earliest_min is None) != (self.break_latest_min is None):
            raise InputError(f"检查组 {self.team_id}：午休最早和最晚开始时间须同时填写或同时留空")
        if self.break_earliest_min is not None and self.break_earliest_min > self.break_latest_min:
            raise InputError(
                f"检查组 {self.team_id}：午休最早开始 {hhmm(self.break_earliest_min)} 晚于"
                f"最晚开始 {hhmm(self.break_latest_min)}"
            )
        if self.break_min < 0:
            raise InputError(f"检查组 {self.team_id}：午休时长不能为负数，收到 {self.break_min!r}")
        object.__setattr__(self, "members", tuple(self.members))
        object.__setattr__(self, "skills", skill_codes(self.skills))
        object.__setattr__(self, "available_dates", tuple(self.available_dates))

    @property
    def has_break(self) -> bool:
        """True when the team takes a lunch break."""
        return self.break_earliest_min is not None and self.break_min > 0

    def all_skills(self) -> frozenset[str]:
        """The team's skills and those of all its members."""
        return frozenset(self.skills).union(*(m.skills for m in self.members))

    def member_ids(self) -> frozenset[str]:
        """Ids of the team's members."""
        return frozenset(m.member_id for m in self.members)


@dataclass(frozen=True, slots=True)
class Visit:
    """A stop to plan: one or more cases at one place, with its service time and constraints."""

    visit_id: str
    lon: float
    lat: float
    service_min: int
    priority: int = 3  # 1 (low) .. 5 (high)
    must: bool = False
    case_nos: tuple[str, ...] = ()
    visit_type: VisitType = VisitType.INVESTIGATION
    label: str = ""  # place name shown to people
    earliest_date: dt.date | None = None
    latest_date: dt.date | None = None
    window_start_min: int | None = None
    window_end_min: int | None = None
    skills: tuple[str, ...] = ()
    excluded_members: tuple[str, ...] = ()  # 回避: member ids that must not take this visit
    team_id: str = ""  # pin
    date: dt.date | None = None  # pin
    group: str = ""  # same-day group: one team, one day
    locked: bool = False  # already done or fixed: keep team, date and order when re-planning

    def __post_init__(self) -> None:
        if not str(self.visit_id).strip():
            raise InputError("走访点须有编号，现为空")
        if not (-180 <= self.lon <= 180 and -90 <= self.lat <= 90):
            raise InputError(f"走访点 {self.visit_id}：坐标超出范围，经度 {self.lon!r}，纬度 {self.lat!r}")
        if self.service_min < 0:
            raise InputError(f"走访点 {self.visit_id}：走访时长不能为负数，收到 {self.service_min!r}")
        if not 1 <= self.priority <= 5:
            raise InputError(f"走访点 {self.visit_id}：优先级应为 1 到 5 或 must（必走），收到 {self.priority!r}")
        if (self.window_start_min is None) != (self.window_end_min is None):
            raise InputError(f"走访点 {self.visit_id}：可走访时段的开始和结束须同时填写或同时留空")
        if self.window_start_min is not None and self.window_start_min > self.window_end_min:
            raise InputError(
                f"走访点 {self.visit_id}：可走访时段开始 {hhmm(self.window_start_min)} 晚于"
                f"结束 {hhmm(self.window_end_min)}"
            )
        if self.earliest_date and self.latest_date and self.earliest_date > self.latest_date:
            raise InputError(
                f"走访点 {self.visit_id}：最早走访日期 {self.earliest_date.isoformat()} 晚于"
                f"最晚走访日期 {self.latest_date.isoformat()}"
            )
        object.__setattr__(self, "visit_type", VisitType(self.visit_type))
        for name in ("case_nos", "excluded_members"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "skills", skill_codes(self.skills))


@dataclass(frozen=True, slots=True)
class Stop:
    """A visit in a route, with its times (minutes after midnight) and the leg that arrives there."""

    visit_id: str
    arrive_min: int
    start_min: int
    end_min: int
    travel_s: int
    distance_m: int

    @property
    def wait_min(self) -> int:
        """Minutes waited between arrival and the start of service (window not yet open)."""
        return self.start_min - self.arrive_min


@dataclass(frozen=True, slots=True)
class Route:
    """One team's day: depart from base, stops in order, lunch break, return to base."""

    team_id: str
    date: dt.date
    depart_min: int
    return_min: int
    stops: tuple[Stop, ...]
    travel_s: int
    distance_m: int
    break_start_min: int | None = None
    break_end_min: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "stops", tuple(self.stops))

    @property
    def visit_ids(self) -> tuple[str, ...]:
        """Visit ids in order."""
        return tuple(s.visit_id for s in self.stops)

    def service_min(self) -> int:
        """Minutes spent on site."""
        return sum(s.end_min - s.start_min for s in self.stops)

    def duration_min(self) -> int:
        """Minutes from departure to return."""
        return self.return_min - self.depart_min


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A change of the planning request that would let a left-out visit in (applied in one click on 路线规划).

    ``kind``: ``start_earlier`` (``start_date``), ``add_days`` (``days``), ``add_team`` (``team_id``),
    ``unpin_team``, ``unpin_date``, ``drop_window``, ``drop_group``, ``unlock``, ``drop_skill`` (no 专长 required),
    ``release`` (unpin the team and require no 专长), ``drop_deadline`` (a deadline already past: no latest date,
    a 必访 visit) (each for ``visit_id``).
    """

    kind: str
    label: str
    visit_id: str = ""
    start_date: dt.date | None = None
    days: int | None = None
    team_id: str = ""


@dataclass(frozen=True, slots=True)
class Unassigned:
    """A visit left out of a plan: the blocking fact and what would unblock it (text), a code, and the changes."""

    visit_id: str
    reason_code: str  # no_skill | deadline_before_start | window_unreachable | capacity | excluded | ...
    reason: str
    #: Not part of a saved plan (the text names them); compared out so that a saved plan reads back equal.
    suggestions: tuple[Suggestion, ...] = field(default=(), compare=False)


#: Plan status codes (``Plan.status``) in the words shown to people.
STATUS_LABELS = {
    "optimal": "最优",
    "feasible": "可行",
    "violations": "有违反约束的线路",
    "infeasible": "无法排出",
    "timeout": "超时",
}


@dataclass(frozen=True, slots=True)
class Plan:
    """The result of planning: routes per team and day, unassigned visits with reasons, and solve statistics."""

    status: str  # "optimal" | "feasible" | "infeasible" | "timeout" ...
    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...] = ()
    objective: int = 0
    runtime_s: float = 0.0
    start_date: dt.date | None = None
    days: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "routes", tuple(self.routes))
        object.__setattr__(self, "unassigned", tuple(self.unassigned))

    def route_for(self, team_id: str, date: dt.date) -> Route | None:
        """The route of a team on a date, if any."""
        return next((r for r in self.routes if r.team_id == team_id and r.date == date), None)

    def planned_visit_ids(self) -> frozenset[str]:
        """Ids of every visit on some route."""
        return frozenset(v for r in self.routes for v in r.visit_ids)

    def totals(self) -> dict[str, float]:
        """Visits planned, km, travel hours and unassigned count."""
        return {
            "visits": sum(len(r.stops) for r in self.routes),
            "km": round(sum(r.distance_m for r in self.routes) / 1000, 1),
            "travel_h": round(sum(r.travel_s for r in self.routes) / 3600, 2),
            "unassigned": len(self.unassigned),
        }

    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return STATUS_LABELS.get(self.status, self.status)

    def summary(self) -> str:
        """One line for people."""
        t = self.totals()
        # Chinese punctuation and units, hours to one decimal as the page's KPIs show them (车程 5.9 小时): rounded
        # once from the seconds (12.549 h read 12.6 here after rounding to 12.55 first, 12.5 on the KPI — walk C).
        hours = round(sum(r.travel_s for r in self.routes) / 3600, 1)
        return (
            f"{self.status_label}：{t['visits']} 个走访点，{len(self.routes)} 条线路，{t['km']} km，"
            f"车程 {hours:.1f} 小时，未安排 {t['unassigned']} 个"
        )


class VisitResult(enum.StrEnum):
    """What happened at a visit."""

    VISITED = "visited"  # 已走访
    NOT_FOUND = "not_found"  # 未找到
    POSTPONED = "postponed"  # 改期

    @property
    def label(self) -> str:
        """Chinese label."""
        return {"visited": "已走访", "not_found": "未找到", "postponed": "改期"}[self.value]


def postponed_counts_refusal(case_no: str, result: VisitResult | str, *, households: int, leads: int,
                             solved: int) -> str:
    """Why an outcome of ``result`` cannot carry these work counts, or "" when it can.

    改期 is a visit that did not happen: nobody was visited, no lead collected, nothing solved, and 统计 sums these
    counts (an officer's 改期 with 入户走访 12 counted twelve household visits that never took place). The message
    names each count filled in by the forms' label.
    """
    if VisitResult(result) is not VisitResult.POSTPONED:
        return ""
    given = [(name, f"{name} {int(value)} {unit}") for name, unit, value in (
        ("入户走访", "户次", households), ("收集线索", "条", leads), ("解决问题", "个", solved)) if value]
    if not given:
        return ""
    return (f"信访件 {case_no}：走访结果为“改期”（未走访）时不能填写{'、'.join(t for _, t in given)}；"
            f"请把{'、'.join(n for n, _ in given)}改为 0，走访后再登记实际数字")


def picked_result(result: VisitResult | str | None) -> VisitResult:
    """``result`` as a :class:`VisitResult`; refused when none was picked.

    The outcome forms (行程's 下一站, 回访跟踪's new record) start with no result picked: one tap on 保存 recorded a
    visit that had not happened when 已走访 was picked for the officer (walk W13). One message for both.

    Raises
    ------
    InputError
        When ``result`` is None or "" (nothing picked).
    ValueError
        When ``result`` is no result at all.
    """
    if result is None or result == "":
        raise InputError(f"请先选择结果（{'、'.join(r.label for r in VisitResult)}）再保存")
    return VisitResult(result)


@dataclass(frozen=True, slots=True)
class VisitOutcome:
    """What a field officer recorded for one case at a visit."""

    case_no: str
    visit_date: dt.date
    result: VisitResult
    team_id: str = ""
    reason: str = ""  # why not found / postponed
    findings: str = ""
    problem_resolved: bool = False
    report_true: bool | None = None  # None: not established; False: untrue -> clarification (澄清)
    households_visited: int = 0
    leads_collected: int = 0
    problems_solved: int = 0
    time_spent_min: int = 0
    recorded_by: str = ""
    put_off_to: dt.date | None = None  # 改期: the day agreed for the visit (改到哪天), when there is one
    report_partly: bool = False  # 部分属实: report_true is True and only part of what was reported is so

    def __post_init__(self) -> None:
        object.__setattr__(self, "result", picked_result(self.result))
        if self.report_partly and self.report_true is not True:
            raise InputError(f"信访件 {self.case_no}：“部分属实”是反映问题属实的一种，"
                             f"不能同时认定为{'不实' if self.report_true is False else '未认定'}")
        if self.result is not VisitResult.VISITED and not self.reason.strip():
            raise InputError(f"信访件 {self.case_no}：走访结果为“{self.result.label}”时须写明原因")
        if self.put_off_to is not None:
            if self.result is not VisitResult.POSTPONED:
                raise InputError(f"信访件 {self.case_no}：只有“改期”才有改到哪天，走访结果为“{self.result.label}”")
            if self.put_off_to <= self.visit_date:
                raise InputError(f"信访件 {self.case_no}：改到 {self.put_off_to.isoformat()} 不在走访日期"
                                 f" {self.visit_date.isoformat()} 之后；请填写约定的新日期，或留空")
        for name, label in (("households_visited", "入户走访"), ("leads_collected", "收集线索"),
                            ("problems_solved", "解决问题"), ("time_spent_min", "用时（分钟）")):
            if getattr(self, name) < 0:
                raise InputError(f"信访件 {self.case_no}：{label}不能为负数，收到 {getattr(self, name)!r}")
        if refusal := postponed_counts_refusal(self.case_no, self.result, households=self.households_visited,
                                               leads=self.leads_collected, solved=self.problems_solved):
            raise InputError(refusal)


@dataclass(frozen=True, slots=True)
class FollowUpTask:
    """Work after a visit: return visit (回访), rectification (整改), feedback (反馈) or clarification (澄清)."""

    task_id: str
    case_no: str
    kind: str  # "return_visit" | "rectification" | "feedback_petitioner" | "feedback_government" | "clarification"
    due_date: dt.date
    description: str = ""
    owner: str = ""
    preferred_team_id: str = ""
    done: bool = False
    done_date: dt.date | None = None

    def __post_init__(self) -> None:
        kinds = ("return_visit", "rectification", "feedback_petitioner", "feedback_government", "clarification")
        if self.kind not in kinds:
            raise InputError(f"待办类型应为 {'、'.join(kinds)} 之一，收到 {self.kind!r}")

    def is_overdue(self, today: dt.date) -> bool:
        """True when not done and past its due date."""
        return not self.done and today > self.due_date
