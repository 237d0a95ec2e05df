"""Choosing the letters to take down (选件): rank open cases with visible reasons, then turn chosen cases into visits.

The flow is ``signals_from_db`` (or hand-made :class:`CaseSignals`) -> :func:`rank_cases` -> pick the top ones ->
:func:`build_visits` -> :func:`write_visits_csv` (exactly the planner's ``visits.csv``) or straight into
``planner.routing``.

Every score component is a monotone function of one fact about the case, multiplied by a weight from
:class:`SelectionWeights` (configurable in 设置), so "a case closer to its deadline never ranks lower, other things
equal" holds by construction and is tested.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from planner.domain import (
    FIVE_QUESTIONS,
    PetitionCase,
    Precision,
    Team,
    TeamMember,
    Visit,
    VisitType,
    hhmm,
)
from planner.errors import InputError
from planner.office.privacy import safe_row
from planner.places.estimates import estimate_words
from planner.places.same_village import stop_key as _place_key
from planner.vocabulary import SKILLS, category_name, skill_code, skill_name

#: Default severity (1..5) of a category, used when it is graver than the case's own severity.
CATEGORY_SEVERITY: dict[str, int] = {
    "扶贫资金": 5,
    "林业": 4,
    "征地拆迁": 4,
    "低保": 4,
    "村务财务": 4,
    "工程建设": 4,
    "环境": 3,
    "干部作风": 3,
    "惠农补贴": 4,
    "医疗社保": 4,
    "教育": 3,
    "其他": 2,
}

#: Skills a visit needs by category (configurable).
CATEGORY_SKILLS: dict[str, tuple[str, ...]] = {
    "林业": ("forestry",),
    "扶贫资金": ("finance",),
    "村务财务": ("finance",),
    "惠农补贴": ("finance",),
    "征地拆迁": ("land",),
    "土地纠纷": ("land",),  # a register's plain 土地 is read so (planner.intake.category_words): 土地 专长 as named
    "低保": ("social",),
    "医疗社保": ("social",),
    "工程建设": ("engineering",),
    "环境": ("environment",),
}


def skills_for_category(category: str, table: Mapping[str, tuple[str, ...]] = CATEGORY_SKILLS) -> tuple[str, ...]:
    """The 专长 a letter of ``category`` needs: the table's entry for the category (an alias such as 征地 or 村务
    counts as its category), else the skill the category's own name is (an office's plain 财务 or 土地), else none."""
    if category in table:
        return tuple(table[category])
    known = category_name(category)
    if known in table:
        return tuple(table[known])
    code = skill_code(category)
    return (code,) if code in SKILL_LABELS else ()


#: Chinese name of each skill code (from the one vocabulary in planner.vocabulary).
SKILL_LABELS: dict[str, str] = {t.code: t.name for t in SKILLS}


@dataclass(frozen=True, slots=True)
class SelectionWeights:
    """Weights of the score components (points at full strength of each component)."""

    deadline: float = 40.0
    repeat: float = 15.0
    cluster: float = 15.0
    systemic: float = 10.0
    severity: float = 15.0
    people: float = 10.0
    site_visit: float = 10.0
    return_due: float = 20.0
    rectification: float = 15.0
    urgency: float = 50.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or value < 0 or math.isnan(value):
                raise InputError(f"选件权重 {f.name} 应为不小于 0 的数字，收到 {value!r}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, float]) -> SelectionWeights:
        """Weights from a settings mapping; unknown keys are refused, missing ones keep their defaults."""
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise InputError(f"不认识的选件权重 {sorted(unknown)!r}；可用：{sorted(known)!r}")
        return cls(**{k: float(v) for k, v in values.items()})


@dataclass(frozen=True, slots=True)
class CaseSignals:
    """Facts about a case that come from outside the case row (clusters, follow-up)."""

    repeat_count: int = 1  # letters in the case's repeat chain (1: no repeats)
    repeat_span_days: int = 0  # first to latest letter of the chain
    cluster_id: str = ""
    cluster_size: int = 1  # letters in its issue cluster
    cluster_counties: int = 1
    systemic: bool = False
    hotspot_id: str = ""
    return_visit_due: dt.date | None = None
    rectification_due: dt.date | None = None
    preferred_team_id: str = ""
    # The import found the letter to be about a place outside Zhangzhou (厦门市同安区): 转外地办理, not a visit.
    outside_city: bool = False


#: Why :func:`rank_cases` leaves a letter about a place outside Zhangzhou out of the candidates.
OUTSIDE_REASON = "地址不在漳州市，应转外地办理，不列入走访候选"


def outside_candidates(session, actor: object = None) -> list[str]:
    """The letters ``actor`` may see that :func:`rank_cases` leaves out as outside Zhangzhou (:data:`OUTSIDE_REASON`),
    for the page to say so where the candidates are listed (sorted)."""
    from planner.followup.overview import outside_zhangzhou
    from planner.office.authorisation import outside_cases

    far = outside_zhangzhou(session)
    hidden = set(outside_cases(actor, session, far)) if actor is not None else set()
    return sorted(far - hidden)


@dataclass(frozen=True, slots=True)
class ScoreComponent:
    """One visible part of a case's score."""

    name: str
    label: str
    points: float
    reason: str


@dataclass(frozen=True, slots=True)
class RankedCase:
    """A case with its score, the components that make it up, and its rank (1 = first to take)."""

    case: PetitionCase
    score: float
    components: tuple[ScoreComponent, ...]
    rank: int = 0
    signals: CaseSignals = field(default_factory=CaseSignals)

    def reason(self, top: int = 3, *, category: str | None = None) -> str:
        """The strongest reasons in one Chinese line, e.g. ``距办理期限 5 天；重复来信 3 封；跨 4 县同类问题``.

        Parameters
        ----------
        top
            How many of the positive reasons to name.
        category
            The case's category as people read it
            (:func:`planner.store.register_fields.category_labels`, e.g. ``三资管理``); the severity reason then
            names it instead of the stored category, so the reason and the 类别 column say the same word.
        """
        parts = sorted((c for c in self.components if c.points > 0), key=lambda c: -c.points)[:top]
        negative = [c for c in self.components if c.points < 0]
        return "；".join(self._said(c, category) for c in (*parts, *negative)) or "无突出因素"

    def _said(self, component: ScoreComponent, category: str | None) -> str:
        """A component's reason, the severity one naming ``category`` when given."""
        stored = self.case.category or "未分类"
        if component.name != "severity" or not category or not component.reason.startswith(stored):
            return component.reason
        return category + component.reason.removeprefix(stored)


_PEOPLE_PATTERNS = (
    (re.compile(r"(\d+(?:\.\d+)?)\s*万\s*(?:余|多)?\s*(?:户|人|名|群众|村民|林农|农户|户群众)"), 10000),
    (re.compile(r"(\d+)\s*(?:余|多)?\s*(?:户|人|名|位)(?:村民|群众|林农|农户|居民|低保户|贫困户)?"), 1),
)
_PEOPLE_AFTER = r"\s*(万)?\s*(?:余|多)?\s*(?:户|人|名|位|家|群众|村民|林农|农户|居民|老人|学生|职工|业主)"
_PEOPLE_WORDS = (("数十万", 100000), ("数万", 20000), ("上万", 10000), ("数千", 2000), ("上千", 1000),
                 ("数百", 200), ("上百", 100), ("几十", 30), ("数十", 30))


def estimate_people_affected(text: str) -> int:
    """Estimate how many people a letter says are affected (群众利益): ``数万林农`` -> 20000, ``37户`` -> 37.

    Returns
    -------
    int
        The largest figure found, 0 when none is stated.
    """
    best = 0
    for word, n in _PEOPLE_WORDS:
        # Only when people follow: 几十户 is people, 每年少交几十万 is money.
        for m in re.finditer(word + _PEOPLE_AFTER, text):
            best = max(best, n * (10000 if m.group(1) else 1))
    for pattern, factor in _PEOPLE_PATTERNS:
        for m in pattern.finditer(text):
            try:
                best = max(best, int(float(m.group(1)) * factor))
            except ValueError:
                continue
    return best


def _deadline_strength(days_left: int) -> float:
    # 0 with two months left, 1 at the deadline, up to 1.5 when a month overdue; non-increasing in days_left.
    return max(0.0, min(1.5, (60 - days_left) / 60))


def _due_strength(today: dt.date, due: dt.date | None) -> float:
    if due is None:
        return 0.0
    return max(0.0, min(1.0, (30 - (due - today).days) / 30))


def score_case(
    case: PetitionCase,
    *,
    today: dt.date,
    signals: CaseSignals | None = None,
    weights: SelectionWeights | None = None,
    category_severity: Mapping[str, int] | None = None,
) -> tuple[float, tuple[ScoreComponent, ...]]:
    """Score one case; higher means take it sooner.

    Parameters
    ----------
    case
        The case.
    today
        The planning date (deadlines count from it).
    signals
        Repeat, cluster and follow-up facts; defaults to none.
    weights
        Component weights; defaults to :class:`SelectionWeights`.
    category_severity
        Severity by category; defaults to :data:`CATEGORY_SEVERITY`.

    Returns
    -------
    tuple[float, tuple[ScoreComponent, ...]]
        Total score and its components.
    """
    s = signals or CaseSignals()
    w = weights or SelectionWeights()
    sev_map = CATEGORY_SEVERITY if category_severity is None else category_severity
    comps: list[ScoreComponent] = []

    if case.status.is_open:
        left = case.days_left(today)
        when = f"已超期 {-left} 天" if left < 0 else f"距办理期限 {left} 天"
        comps.append(ScoreComponent("deadline", "办理期限", w.deadline * _deadline_strength(left), when))
    else:
        # A handled case comes back only for its return visit or rectification check: no handling deadline.
        comps.append(ScoreComponent("deadline", "办理期限", 0.0, f"已{case.status.label}"))

    if s.repeat_count > 1:
        strength = min(1.0, math.log2(s.repeat_count) / 3) * (1.0 + min(0.5, s.repeat_span_days / 730))
        comps.append(ScoreComponent("repeat", "重复举报", w.repeat * strength / 1.5,
                                    f"重复来信 {s.repeat_count} 封（跨 {s.repeat_span_days} 天）"))
    if s.cluster_size > 1:
        comps.append(ScoreComponent("cluster", "同类问题", w.cluster * min(1.0, math.log2(s.cluster_size) / 5),
                                    f"同类问题 {s.cluster_size} 件，涉及 {s.cluster_counties} 个县区"))
    if s.systemic:
        comps.append(ScoreComponent("systemic", "系统性问题", w.systemic, "疑似系统性问题（建议监察建议）"))

    severity = max(case.severity, sev_map.get(case.category, 0))
    comps.append(ScoreComponent("severity", "问题严重程度", w.severity * (severity - 1) / 4,
                                f"{case.category or '未分类'}（严重程度 {severity}）"))

    if case.severity > 3:
        # The office marked the letter 特急 / 紧急 in its register (planner.intake.urgency; without such a column
        # every case keeps the default 3): its own judgement, weighed like a near deadline, not as one more point
        # of the category's gravity (a re-walk found a 特急 letter ranked 253rd of 280).
        word = "特急" if case.severity >= 5 else "紧急"
        comps.append(ScoreComponent("urgency", "登记表标注紧急", w.urgency * (case.severity - 3) / 2,
                                    f"登记表标注“{word}”"))

    people = max(case.people_affected, estimate_people_affected(case.content))
    if people > 0:
        comps.append(ScoreComponent("people", "涉及群众", w.people * min(1.0, math.log10(1 + people) / 4),
                                    f"涉及群众约 {people} 人/户"))
    if not case.needs_site_visit:
        comps.append(ScoreComponent("site_visit", "无需实地核查", -w.site_visit, "无需实地核查"))

    if s.return_visit_due is not None:
        d = (s.return_visit_due - today).days
        comps.append(ScoreComponent("return_due", "回访到期", w.return_due * _due_strength(today, s.return_visit_due),
                                    f"回访{'已到期' if d <= 0 else f'还有 {d} 天到期'}"))
    if s.rectification_due is not None:
        d = (s.rectification_due - today).days
        comps.append(ScoreComponent("rectification", "整改期限",
                                    w.rectification * _due_strength(today, s.rectification_due),
                                    f"整改{'已到期' if d <= 0 else f'还有 {d} 天到期'}"))
    total = round(sum(c.points for c in comps), 3)
    return total, tuple(comps)


def rank_cases(
    cases: Iterable[PetitionCase],
    *,
    today: dt.date,
    signals: Mapping[str, CaseSignals] | None = None,
    weights: SelectionWeights | None = None,
    category_severity: Mapping[str, int] | None = None,
    open_only: bool = True,
) -> list[RankedCase]:
    """Rank cases for taking down, highest score first (ties: earlier deadline, then case number).

    Parameters
    ----------
    cases
        Candidate cases.
    today
        Planning date.
    signals
        Per case number; missing cases have no repeat, cluster or follow-up facts.
    weights, category_severity
        See :func:`score_case`.
    open_only
        Skip resolved, clarified and closed cases, except those with a return visit or rectification due.

    Letters about a place outside Zhangzhou (``CaseSignals.outside_city``) are never candidates.

    Returns
    -------
    list[RankedCase]
        With ``rank`` set from 1.
    """
    signals = signals or {}
    scored = []
    for case in cases:
        sig = signals.get(case.case_no, CaseSignals())
        if sig.outside_city:
            continue
        if open_only and not case.status.is_open and sig.return_visit_due is None and sig.rectification_due is None:
            continue
        total, comps = score_case(case, today=today, signals=sig, weights=weights,
                                  category_severity=category_severity)
        scored.append(RankedCase(case=case, score=total, components=comps, signals=sig))
    scored.sort(key=lambda r: (-r.score, r.case.due_date(), r.case.case_no))
    return [RankedCase(r.case, r.score, r.components, i + 1, r.signals) for i, r in enumerate(scored)]


def filter_ranked(
    ranked: Sequence[RankedCase],
    *,
    today: dt.date,
    county_codes: Iterable[str] = (),
    categories: Iterable[str] = (),
    cluster_id: str = "",
    deadline_states: Iterable[str] = (),
    at_risk_days: int = 10,
) -> list[RankedCase]:
    """Keep ranked cases matching every given filter (empty filter: keep all). Ranks are kept. ``at_risk_days``: the
    office's 期限预警 (设置), the days before the deadline from which a letter is 临期."""
    codes, cats, states = set(county_codes), set(categories), set(deadline_states)
    out = []
    for r in ranked:
        c = r.case
        if codes and c.location.county_code not in codes:
            continue
        if cats and c.category not in cats:
            continue
        if cluster_id and r.signals.cluster_id != cluster_id:
            continue
        if states and c.deadline_state(today, at_risk_days=at_risk_days) not in states:
            continue
        out.append(r)
    return out


def capacity_estimate(
    teams: int,
    days: int,
    *,
    shift_min: int = 540,
    break_min: int = 90,
    service_min: int = 60,
    travel_min: int = 40,
    return_min: int = 45,
    first_day_min: int | None = None,
) -> int:
    """How many visits ``teams`` teams can make in ``days`` working days with typical times.

    A day holds the shift less the lunch break and the drive home; each visit costs its service time plus the drive
    to it. ``first_day_min``: shift minutes left on the first day (a trip starting today, chosen in the afternoon);
    that day holds its share of the lunch break and nothing once the shift is over.
    """
    if teams < 0 or days < 0:
        raise InputError(f"检查组数和天数不能为负数，收到 {teams!r}、{days!r}")
    per_visit = service_min + travel_min
    if per_visit <= 0:
        raise InputError(f"每次走访时长加路程时间须为正数，收到 {per_visit!r}")
    per_day = max(0, (shift_min - break_min - return_min) // per_visit)
    if first_day_min is None or days == 0 or first_day_min >= shift_min:
        return teams * days * per_day
    left = max(0, first_day_min)
    first = max(0, (left - break_min * left // shift_min - return_min) // per_visit) if left else 0
    return teams * ((days - 1) * per_day + min(first, per_day))


@dataclass(frozen=True, slots=True)
class VisitOptions:
    """How chosen cases become visits."""

    base_service_min: Mapping[str, int] = field(
        default_factory=lambda: {"investigation": 60, "return": 40, "clarification": 45, "forum": 90}
    )
    per_case_min: Mapping[str, int] = field(
        default_factory=lambda: {"investigation": 30, "return": 15, "clarification": 20, "forum": 20}
    )
    category_skills: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(CATEGORY_SKILLS))
    window_start_min: int | None = None  # daily window for every visit (e.g. village office hours)
    window_end_min: int | None = None
    must_overdue: bool = True  # overdue cases become must-visits
    pin_return_team: bool = True  # return visits go to the team that made the first visit
    per_repeat_min: int = 10  # a further letter of a petitioner already heard at the stop (read, not a new talk)


@dataclass(frozen=True, slots=True)
class VisitBrief:
    """What the field packet shows for a visit: its cases and the 访前五问 with case-specific hints."""

    visit_id: str
    place: str
    case_nos: tuple[str, ...]
    summaries: tuple[str, ...]
    checklist: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VisitBuild:
    """Visits built from chosen cases, their briefs, and the cases that could not become a visit (with reasons)."""

    visits: tuple[Visit, ...]
    briefs: tuple[VisitBrief, ...]
    skipped: tuple[tuple[str, str], ...]  # (case_no, reason)

    def visit_of_case(self) -> dict[str, str]:
        """Case number -> visit id."""
        return {c: v.visit_id for v in self.visits for c in v.case_nos}


def recusal_reasons(member: TeamMember, case: PetitionCase) -> list[str]:
    """Why ``member`` must stay away (回避) from ``case``: hometown, former posting, named in the letter, relation.

    Returns
    -------
    list[str]
        Chinese reasons; empty when the member may take the case.
    """
    loc = case.location
    reasons = []
    if member.hometown_town_code and member.hometown_town_code == loc.town_code:
        reasons.append(f"{member.name}：籍贯在{loc.town}")
    elif member.hometown_county_code and member.hometown_county_code == loc.county_code:
        reasons.append(f"{member.name}：籍贯在{loc.county}")
    posts = set(member.former_postings)
    if posts & {loc.county_code, loc.town_code} - {""}:
        reasons.append(f"{member.name}：曾在{loc.town or loc.county}任职")
    text = " ".join((case.content, case.title, *case.reported_persons, *case.reported_units))
    if member.name and member.name in text:
        reasons.append(f"{member.name}：本人在信中被提及")
    for rel in member.relations:
        if rel and rel in text:
            reasons.append(f"{member.name}：与{rel}有利害关系")
    return reasons


#: Score thresholds of priorities 2..5 (:func:`_priority`).
PRIORITY_SCORES = (40.0, 60.0, 80.0, 100.0)


def _priority(score: float, cases: Sequence[PetitionCase], today: dt.date) -> int:
    """The visit's priority 1..5 from its best letter's score; a letter at or past its deadline makes it at least 4.

    Walk W21: thresholds 20/35/50/65 and "due within 10 days: at least 4" gave all 24 chosen visits (scores 77-132)
    priority 5. How soon a visit is due the solver weighs from its latest date (planner.routing.drop_order)."""
    prio = 1 + sum(score >= t for t in PRIORITY_SCORES)
    if any(c.days_left(today) <= 0 for c in cases):
        prio = max(prio, 4)
    return min(5, prio)


def _visit_type(sig: CaseSignals) -> VisitType:
    return VisitType.RETURN if sig.return_visit_due is not None or sig.rectification_due is not None \
        else VisitType.INVESTIGATION


def _petitioner_homes(cases: Sequence[PetitionCase]) -> dict[str, str]:
    """Letters of one petitioner to be visited at the village another of their letters names: case no -> place key.

    Walk 1: 陈阿水's third letter (322号) named only 杜浔镇, his first two 范阳村 of 杜浔镇: 选件 made two visits at
    one point, planned back to back 0 km apart, 2.5 hours at one household. A letter placed no closer than its
    town joins its petitioner's letter at a village of that town, when there is exactly one such village.
    """
    villages: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in cases:
        loc = c.location
        if c.petitioner_key and loc.has_point and loc.precision is Precision.VILLAGE and loc.village_code:
            villages[(c.petitioner_key, loc.town_code)].add(_place_key(c))
    out: dict[str, str] = {}
    for c in cases:
        loc = c.location
        if not c.petitioner_key or not loc.town_code or (loc.precision is Precision.VILLAGE and loc.village_code):
            continue
        if len(found := villages.get((c.petitioner_key, loc.town_code), ())) == 1:
            out[c.case_no] = next(iter(found))
    return out


def _service_min(cases: Sequence[PetitionCase], kind: VisitType, opt: VisitOptions) -> int:
    """Minutes at a stop: the base time, the per-letter time for each more petitioner's letter, and only
    ``per_repeat_min`` for a petitioner's further letter (the same person heard once, 重复件随本件一并办结)."""
    heard: set[str] = set()
    extra = 0
    for i, c in enumerate(cases):
        again = bool(c.petitioner_key) and c.petitioner_key in heard
        if i:
            extra += opt.per_repeat_min if again else opt.per_case_min[kind.value]
        if c.petitioner_key:
            heard.add(c.petitioner_key)
    return opt.base_service_min[kind.value] + extra


def build_visits(
    chosen: Sequence[RankedCase] | Sequence[PetitionCase],
    *,
    today: dt.date,
    teams: Sequence[Team] = (),
    options: VisitOptions | None = None,
    start: dt.date | None = None,
) -> VisitBuild:
    """Turn chosen cases into visits: one per village (or address), service time growing with the cases.

    Parameters
    ----------
    chosen
        Ranked cases (their score sets the priority; signals give hotspots, return visits and preferred teams) or
        bare cases (priority from deadline only).
    today
        Planning date.
    teams
        Teams with their members, for 回避 exclusions.
    options
        Service times, category skills, windows; defaults to :class:`VisitOptions`.
    start
        The trip's first day (None: ``today``). A letter due before it is overdue by the time anyone can go: like an
        overdue letter it is visited first (必访) and not bounded by a deadline no day of the trip can meet.

    Returns
    -------
    VisitBuild
        Visits in order of their best case's rank; cases without a coordinate are skipped with a reason.
    """
    opt = options or VisitOptions()
    ranked = [c if isinstance(c, RankedCase) else RankedCase(c, score_case(c, today=today)[0], ()) for c in chosen]
    groups: dict[tuple[str, str], list[RankedCase]] = defaultdict(list)
    skipped: list[tuple[str, str]] = []
    homes = _petitioner_homes([r.case for r in ranked])
    for r in ranked:
        loc = r.case.location
        if not loc.has_point:
            skipped.append((r.case.case_no, "地址未能定位到坐标，请在「案件地图」点开该件校准位置后再选"))
            continue
        # Return visits and first visits to one place are different kinds of work: keep them apart.
        groups[(homes.get(r.case.case_no) or _place_key(r.case), _visit_type(r.signals).value)].append(r)

    members = [m for t in teams for m in t.members]
    # An office that records no 专长 for anyone (a new installation's teams) does not plan by them: a skill guessed
    # from the category would otherwise keep every visit off every route (walk A: the first plan placed nothing).
    by_skill = not teams or any(t.all_skills() for t in teams)
    visits: list[Visit] = []
    briefs: list[VisitBrief] = []
    hotspot_town: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, ((_, vtype), rs) in enumerate(sorted(groups.items(), key=lambda kv: min(r.rank or 0 for r in kv[1]))):
        rs.sort(key=lambda r: (-r.score, r.case.case_no))
        cases = [r.case for r in rs]
        # The visit stands where its most precisely placed letter is (a repeat letter may name only the town).
        lead = next((c for c in cases if c.location.precision is Precision.VILLAGE), cases[0])
        kind = VisitType(vtype)
        service = _service_min(cases, kind, opt)
        skills = sorted({s for c in cases for s in skills_for_category(c.category, opt.category_skills)}) \
            if by_skill else []
        excluded = sorted({m.member_id for m in members for c in cases if recusal_reasons(m, c)})
        dues = [c.due_date() for c in cases if c.status.is_open]
        latest = min(dues) if dues else None
        # Every deadline still ahead bounds the visit, also one after the days 选件 chose: 路线规划 may move the
        # start later (walk G: a letter due 12-12 was planned on 12-17 after the start moved to 12-14).
        # Walk B: a letter due 12-07 got 12-07 as its last day on a trip from 12-21 and was left out, while letters
        # overdue since October were planned: a deadline passed by the first day is an overdue letter's.
        first = max(today, start or today)
        if latest is not None and latest < first:
            latest = None
        must = opt.must_overdue and any(c.status.is_open and c.days_left(first) < 0 for c in cases)
        pinned = ""
        if kind is VisitType.RETURN and opt.pin_return_team:
            pinned = next((r.signals.preferred_team_id for r in rs if r.signals.preferred_team_id), "")
            team = next((t for t in teams if t.team_id == pinned), None)
            # The first team is a preference: it is kept only while it can still take the visit.
            if teams and (team is None or not set(skills) <= team.all_skills()
                          or set(excluded) & team.member_ids()):
                pinned = ""
        visit_id = f"V{n + 1:03d}"
        label = lead.location.place_name() or lead.address_text
        visits.append(
            Visit(
                visit_id=visit_id,
                lon=lead.location.lon,
                lat=lead.location.lat,
                service_min=service,
                priority=_priority(max(r.score for r in rs), cases, today),
                must=must,
                case_nos=tuple(c.case_no for c in cases),
                visit_type=kind,
                label=label,
                latest_date=latest,
                window_start_min=opt.window_start_min,
                window_end_min=opt.window_end_min,
                skills=tuple(skills),
                excluded_members=tuple(excluded),
                team_id=pinned,
            )
        )
        for r in rs:
            if r.signals.hotspot_id:
                hotspot_town[(r.signals.hotspot_id, lead.location.town_code)].append(len(visits) - 1)
        briefs.append(_brief(visit_id, label, rs))

    # A hotspot's cases in one town are one matter seen in several villages: one team, one day.
    for (hotspot, town), idxs in sorted(hotspot_town.items()):
        idxs = sorted(set(idxs))
        if len(idxs) < 2 or not town:
            continue
        for i in idxs:
            if not visits[i].group and not visits[i].team_id:
                visits[i] = replace(visits[i], group=f"{hotspot}@{town}")
    return VisitBuild(visits=tuple(visits), briefs=tuple(briefs), skipped=tuple(skipped))


def _brief(visit_id: str, place: str, rs: Sequence[RankedCase]) -> VisitBrief:
    hints = list(FIVE_QUESTIONS)
    repeats = max((r.signals.repeat_count for r in rs), default=1)
    if repeats > 1:
        hints[2] += f"（该信访人已来信 {repeats} 封，先查清此前处理为何未息诉）"
    if any(r.signals.systemic for r in rs):
        hints[4] += "（同类问题跨多个县区，注意收集共性材料，考虑监察建议）"
    loc = rs[0].case.location
    if loc.estimated:
        # Every case of the town shares this seat: the plan's travel times to it are only as good as that.
        hints[3] += f"（位置为估计点：{estimate_words(loc)}，出发前先向村里核实，或在案件地图上校准）"
    return VisitBrief(
        visit_id=visit_id,
        place=place,
        case_nos=tuple(r.case.case_no for r in rs),
        summaries=tuple(f"{r.case.case_no}：{r.case.summary(80)}" for r in rs),
        checklist=tuple(hints),
    )


#: visits.csv's columns as the office reads them (``planner.intake.plan_files.VISITS_HEADERS`` reads each back;
#: files with the planner's English names, id, lon, lat …, are read too).
VISITS_CSV_COLUMNS = (
    "编号", "经度", "纬度", "核查分钟", "优先级", "最早日期", "最迟日期", "时间窗开始", "时间窗结束",
    "所需专长", "指定组", "指定日期", "同日组", "地点", "信访件", "类型", "回避人员",
)


#: A same-day group code 选件 builds: ``{hotspot}@{town code}``, the hotspot itself ``I0001@范阳村``.
_BUILT_GROUP = re.compile(r"^[A-Za-z]{1,3}\d+@(?:[^@]*@)?\d*$")


def write_visits_csv(visits: Iterable[Visit], path: str | Path, *,
                     member_names: Mapping[str, str] | None = None) -> Path:
    """Write visits as ``visits.csv`` in Chinese (UTF-8 with BOM so Excel opens it).

    Columns :data:`VISITS_CSV_COLUMNS`: 编号, 经度, 纬度, 核查分钟, 优先级 (1–5 or 必访), dates, windows, 所需专长
    (``;``, by their Chinese names), 指定组 (team id), 指定日期, 同日组 (by the name 选件 shows, 范阳村同日走访组: read
    back as the group's name), 地点, 信访件, 类型 (核查/回访/澄清/座谈) and 回避人员 (``王志强（M11）``: the name of
    ``member_names`` for people, the member id in brackets for the planner, which reads the id back).

    Walk 1: the file showed 同日组 ``I0001@范阳村@350623104`` and a column 回避人员编号 ``m3bc7d00b3db``.
    """
    from planner.selection.labels import group_names

    path = Path(path)
    visits = list(visits)
    names = member_names or {}
    # Only the codes 选件 builds (hotspot@town) are renamed; a group a person named in the file keeps its name.
    group = {code: name for code, name in group_names(visits).items() if _BUILT_GROUP.match(code)}
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(VISITS_CSV_COLUMNS)
        for v in visits:
            # Every cell, case numbers included, is neutralised: a register's 编号 can start with "=".
            writer.writerow(safe_row([
                v.visit_id, f"{v.lon:.6f}", f"{v.lat:.6f}", v.service_min, "必访" if v.must else v.priority,
                v.earliest_date.isoformat() if v.earliest_date else "",
                v.latest_date.isoformat() if v.latest_date else "",
                hhmm(v.window_start_min) if v.window_start_min is not None else "",
                hhmm(v.window_end_min) if v.window_end_min is not None else "",
                ";".join(skill_name(s) for s in v.skills), v.team_id, v.date.isoformat() if v.date else "",
                group.get(v.group, v.group), v.label, ";".join(v.case_nos), v.visit_type.label,
                ";".join(f"{names[m]}（{m}）" if names.get(m) else m for m in v.excluded_members),
            ]))
    return path


def signals_from_db(session) -> dict[str, CaseSignals]:
    """Collect repeat, cluster and follow-up facts per case number from the database.

    Repeats: letters of one writer (:func:`planner.store.writers.writer_key_map`: a name alone at one town only) and
    the stored repeat chains. Clusters: the stored issues and hotspots. Follow-up: open 回访 and 整改 items."""
    from sqlalchemy import select

    from planner.store.models import CaseRow, ClusterMember, ClusterRow, FollowUpRow, RectificationRow
    from planner.store.writers import writer_key_map

    rows = session.execute(select(CaseRow.id, CaseRow.case_no, CaseRow.received_date, CaseRow.petitioner_key,
                                  CaseRow.county_code)).all()
    by_id = {r.id: r for r in rows}
    facts: dict[str, dict] = {r.case_no: {} for r in rows}

    chains: dict[str, list] = defaultdict(list)
    keys = writer_key_map(session)  # walk W23: 陈文华 of 龙海 and 陈文华 of 平和 had scored as one writer's repeats
    for r in rows:
        if key := keys.get(r.case_no, r.petitioner_key):
            chains["p" + key].append(r)
    members = session.execute(select(ClusterMember.cluster_id, ClusterMember.case_id, ClusterRow.kind,
                                     ClusterRow.systemic).join(ClusterRow, ClusterRow.id == ClusterMember.cluster_id)
                              ).all()
    clusters: dict[str, list] = defaultdict(list)
    for m in members:
        if m.case_id not in by_id:
            continue
        if m.kind == "repeat":
            chains["c" + m.cluster_id].append(by_id[m.case_id])
        else:
            clusters[m.cluster_id].append((by_id[m.case_id], m.kind, m.systemic))
    for chain in chains.values():
        if len(chain) < 2:
            continue
        dates = [r.received_date for r in chain]
        for r in chain:
            f = facts[r.case_no]
            if len(chain) > f.get("repeat_count", 1):
                f["repeat_count"] = len(chain)
                f["repeat_span_days"] = (max(dates) - min(dates)).days
    for cid, items in clusters.items():
        kind = items[0][1]
        for r, _, systemic in items:
            f = facts[r.case_no]
            if kind == "hotspot":
                f["hotspot_id"] = cid
            elif len(items) >= f.get("cluster_size", 1):
                f["cluster_id"] = cid
                f["cluster_size"] = len(items)
                f["cluster_counties"] = len({x[0].county_code for x in items if x[0].county_code}) or 1
                f["systemic"] = bool(systemic)
    for fu in session.scalars(select(FollowUpRow).where(FollowUpRow.done.is_(False),
                                                        FollowUpRow.kind == "return_visit")):
        r = by_id.get(fu.case_id)
        if r is not None:
            f = facts[r.case_no]
            if f.get("return_visit_due") is None or fu.due_date < f["return_visit_due"]:
                f["return_visit_due"] = fu.due_date
                f["preferred_team_id"] = fu.preferred_team_id or ""
    for rect in session.scalars(select(RectificationRow).where(RectificationRow.done.is_(False))):
        r = by_id.get(rect.case_id)
        if r is not None:
            f = facts[r.case_no]
            if f.get("rectification_due") is None or rect.due_date < f["rectification_due"]:
                f["rectification_due"] = rect.due_date
    from planner.followup.overview import outside_zhangzhou

    for case_no in outside_zhangzhou(session):
        if case_no in facts:
            facts[case_no]["outside_city"] = True
    return {case_no: CaseSignals(**f) for case_no, f in facts.items() if f}
