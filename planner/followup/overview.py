"""Figures for the home page: letters by county and by status, deadlines at risk, plans in progress."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import geodata
from planner.domain import CaseStatus, Cluster, PetitionCase
from planner.store.lifecycle import PLAN_STATUS_LABELS as _LIFECYCLE_LABELS

#: Days before the handling deadline from which a case counts as "at risk".
AT_RISK_DAYS = 10
UNPLACED = ""  # county code of cases whose county is unknown
OUTSIDE = "outside"  # row code of letters whose address is outside Zhangzhou
#: How the resolver's place note of such a letter begins (``planner.places.resolver``: 地址不在漳州市（…）).
OUTSIDE_NOTE = "地址不在漳州市"
#: Their row in the figures: kept (nothing lost) and counted in the office's total, apart from 未定位 and the counties.
OUTSIDE_LABEL = "市外（转外地办理）"


def outside_zhangzhou(session: Session) -> frozenset[str]:
    """Case numbers of letters the import found to be about a place outside Zhangzhou (an address in 厦门市同安区):
    no county, and a place note beginning :data:`OUTSIDE_NOTE`. A letter the office has since placed (a correction
    giving it a county) is no longer one."""
    from planner.store.models import CaseRow

    rows = session.execute(select(CaseRow.case_no).where(CaseRow.geocode_message.startswith(OUTSIDE_NOTE),
                                                          CaseRow.county_code == ""))
    return frozenset(r.case_no for r in rows)


@dataclass(frozen=True, slots=True)
class CountyFigures:
    """Counts for one county (``code == ""``: cases whose county is not known)."""

    code: str
    name: str
    letters: int
    open: int
    at_risk: int
    overdue: int


@dataclass(frozen=True, slots=True)
class PlanInfo:
    """A saved plan that is not finished."""

    plan_id: int
    name: str
    status: str
    start_date: dt.date
    days: int
    created_by: str

    @property
    def status_label(self) -> str:
        """Chinese label of the plan status."""
        return PLAN_STATUS_LABELS.get(self.status, self.status)


#: 草稿 / 已下发 / 执行中 / 已完成 (the plan lifecycle's words; a plan stored before it as "approved" was issued).
PLAN_STATUS_LABELS = {**_LIFECYCLE_LABELS, "approved": _LIFECYCLE_LABELS["issued"]}


@dataclass(frozen=True, slots=True)
class Overview:
    """What the home page shows."""

    today: dt.date
    counties: tuple[CountyFigures, ...]  # the 11 counties in code order, then 未定位 and 市外 if any
    by_status: tuple[tuple[CaseStatus, int], ...]  # every status, in life order
    urgent: tuple[PetitionCase, ...]  # open cases overdue or at risk, most urgent first

    @property
    def letters(self) -> int:
        """All letters."""
        return sum(c.letters for c in self.counties)

    @property
    def open(self) -> int:
        """Open letters."""
        return sum(c.open for c in self.counties)

    @property
    def at_risk(self) -> int:
        """Open letters within :data:`AT_RISK_DAYS` of their deadline."""
        return sum(c.at_risk for c in self.counties)

    @property
    def overdue(self) -> int:
        """Open letters past their deadline."""
        return sum(c.overdue for c in self.counties)


def _current_code(code: str) -> str:
    if not code:
        return UNPLACED
    try:
        return geodata.county_by_code(code[:6]).code
    except ValueError:
        return UNPLACED


def overview(cases: Sequence[PetitionCase], *, today: dt.date, at_risk_days: int = AT_RISK_DAYS,
             outside: Collection[str] = ()) -> Overview:
    """Count letters by county (all 11 listed, zeros included) and by status, and list urgent cases.

    Letters in ``outside`` (:func:`outside_zhangzhou`) get their own row, :data:`OUTSIDE_LABEL`, after 未定位:
    they are neither unplaced nor in a county, and the office's totals include them (the rows add up to them).

    Parameters
    ----------
    cases
        The cases the user may see.
    today
        Reference date for deadlines.
    at_risk_days
        A case is at risk when its deadline is at most this many days away.
    outside
        Case numbers of letters about a place outside Zhangzhou.

    Returns
    -------
    Overview
    """
    letters: Counter[str] = Counter()
    open_: Counter[str] = Counter()
    risk: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    urgent = []
    outside = frozenset(outside)
    for c in cases:
        code = _current_code(c.location.county_code)
        if code == UNPLACED and c.case_no in outside:
            code = OUTSIDE
        letters[code] += 1
        if c.status.is_open:
            open_[code] += 1
            state = c.deadline_state(today, at_risk_days=at_risk_days)
            if state == "overdue":
                overdue[code] += 1
                urgent.append(c)
            elif state == "at_risk":
                risk[code] += 1
                urgent.append(c)
    rows = [
        CountyFigures(k.code, k.name, letters[k.code], open_[k.code], risk[k.code], overdue[k.code])
        for k in sorted(geodata.counties(), key=lambda k: k.code)
    ]
    if letters[UNPLACED]:
        rows.append(
            CountyFigures(UNPLACED, "未定位", letters[UNPLACED], open_[UNPLACED], risk[UNPLACED], overdue[UNPLACED])
        )
    if letters[OUTSIDE]:
        rows.append(CountyFigures(OUTSIDE, OUTSIDE_LABEL, letters[OUTSIDE], open_[OUTSIDE], risk[OUTSIDE],
                                  overdue[OUTSIDE]))
    status_counts = Counter(c.status for c in cases)
    urgent.sort(key=lambda c: (c.days_left(today), c.case_no))
    return Overview(
        today=today,
        counties=tuple(rows),
        by_status=tuple((s, status_counts[s]) for s in CaseStatus),
        urgent=tuple(urgent),
    )


def plans_in_progress(session: Session, *, actor: object = None) -> list[PlanInfo]:
    """Saved plans that are not done, newest start date first; only those routing ``actor``'s teams when given."""
    from planner.office.authorisation import visible_plan_ids
    from planner.store.models import PlanRow

    stmt = select(PlanRow).where(PlanRow.status != "done").order_by(PlanRow.start_date.desc(), PlanRow.id.desc())
    mine = None if actor is None else visible_plan_ids(actor, session)
    return [
        PlanInfo(r.id, r.name or f"计划 {r.id}", r.status, r.start_date, r.days, r.created_by)
        for r in session.scalars(stmt)
        if mine is None or r.id in mine
    ]


DEADLINE_FILTERS = {"all": "全部", "overdue": "已超期", "at_risk": "临近期限", "ok": "期限内"}


def filter_by_deadline(
    cases: Sequence[PetitionCase], state: str, *, today: dt.date, at_risk_days: int = AT_RISK_DAYS
) -> list[PetitionCase]:
    """Keep the cases whose deadline state is ``state`` (``"all"``, ``"overdue"``, ``"at_risk"``, ``"ok"``).

    Closed cases count as ``"ok"``.

    Raises
    ------
    InputError
        If ``state`` is unknown.
    """
    from planner.errors import InputError

    if state not in DEADLINE_FILTERS:
        choices = "、".join(f"{k}（{v}）" for k, v in DEADLINE_FILTERS.items())
        raise InputError(f"期限筛选应为 {choices} 之一，收到 {state!r}")
    if state == "all":
        return list(cases)
    return [c for c in cases if c.deadline_state(today, at_risk_days=at_risk_days) == state]


def filter_cases(
    cases: Sequence[PetitionCase],
    *,
    today: dt.date,
    county_codes: Sequence[str] = (),
    categories: Sequence[str] = (),
    statuses: Sequence[str] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
    deadline: str = "all",
    at_risk_days: int = AT_RISK_DAYS,
) -> list[PetitionCase]:
    """The case-map filters: county (old codes count as their current county), category, status,
    received-date range (inclusive) and deadline state. Empty selections keep everything."""
    counties = set(county_codes)
    cats = set(categories)
    sts = {str(s) for s in statuses}
    kept = [
        c for c in cases
        if (not counties or _current_code(c.location.county_code) in counties)
        and (not cats or (c.category or "未分类") in cats)
        and (not sts or c.status.value in sts)
        and (since is None or c.received_date >= since)
        and (until is None or c.received_date <= until)
    ]
    return filter_by_deadline(kept, deadline, today=today, at_risk_days=at_risk_days)


@dataclass(frozen=True, slots=True)
class IssueRow:
    """One issue cluster as the 关联分析 page lists it."""

    cluster: Cluster
    counties: tuple[str, ...]  # county names
    open: int
    overdue: int
    at_risk: int
    hotspots: int

    @property
    def urgent(self) -> int:
        """Open letters overdue or at risk."""
        return self.overdue + self.at_risk


def rank_issues(
    issues: Sequence[Cluster],
    cases: Mapping[str, PetitionCase],
    *,
    today: dt.date,
    hotspots_of: Mapping[str, int] | None = None,
    min_size: int = 2,
    systemic_only: bool = False,
    at_risk_days: int = AT_RISK_DAYS,
) -> list[IssueRow]:
    """Issue clusters for the 关联分析 list: systemic first, then larger, then more urgent letters.

    Parameters
    ----------
    issues
        Issue clusters (``ClusterResult.issues``).
    cases
        Cases by number (letters not found are counted in the size but not in open/urgent figures).
    hotspots_of
        Number of hotspots per issue id.
    min_size
        Leave out smaller clusters (single letters are not "related complaints").
    systemic_only
        Only clusters spanning several counties.
    """
    names = {c.code: c.name for c in geodata.counties()}
    rows = []
    for cl in issues:
        if cl.size < min_size or (systemic_only and not cl.systemic):
            continue
        members = [cases[n] for n in cl.case_nos if n in cases]
        open_ = [c for c in members if c.status.is_open]
        states = Counter(c.deadline_state(today, at_risk_days=at_risk_days) for c in open_)
        codes = dict.fromkeys(_current_code(x) for x in cl.county_codes)
        if not codes:
            codes = dict.fromkeys(_current_code(c.location.county_code) for c in members)
        codes.pop(UNPLACED, None)
        rows.append(
            IssueRow(
                cluster=cl,
                counties=tuple(names.get(x, x) for x in codes),
                open=len(open_),
                overdue=states["overdue"],
                at_risk=states["at_risk"],
                hotspots=(hotspots_of or {}).get(cl.cluster_id, 0),
            )
        )
    rows.sort(key=lambda r: (not r.cluster.systemic, -r.cluster.size, -r.urgent, r.cluster.cluster_id))
    return rows


def saved_issue_clusters(session: Session, *, min_size: int = 2) -> list[Cluster]:
    """Issue clusters as last saved by 关联分析 (tables ``clusters``/``cluster_members``), for colouring the
    case map when this session has not run the analysis; systemic first, then larger."""
    from planner.store.models import CaseRow, ClusterMember, ClusterRow

    rows = session.execute(
        select(ClusterRow.id, ClusterRow.label, ClusterRow.systemic, CaseRow.case_no)
        .join(ClusterMember, ClusterMember.cluster_id == ClusterRow.id)
        .join(CaseRow, CaseRow.id == ClusterMember.case_id)
        .where(ClusterRow.kind == "issue")
        .order_by(ClusterRow.id, CaseRow.case_no)
    ).all()
    members: dict[str, list[str]] = {}
    meta: dict[str, tuple[str, bool]] = {}
    for cid, label, systemic, case_no in rows:
        members.setdefault(cid, []).append(case_no)
        meta[cid] = (label, bool(systemic))
    out = [
        Cluster(cid, "issue", meta[cid][0], tuple(nos), systemic=meta[cid][1])
        for cid, nos in members.items() if len(nos) >= min_size
    ]
    out.sort(key=lambda c: (not c.systemic, -c.size, c.cluster_id))
    return out


def issue_choices(
    session: Session, cases: Sequence[PetitionCase], *, today: dt.date, at_risk_days: int = AT_RISK_DAYS
) -> dict[str, str]:
    """The related issues (2+ letters) as 关联分析 last saved and lists them — systemic first, then larger, then more
    urgent (:func:`rank_issues`) — by id, each said in words: ``保证金、林业站（9 件，跨 4 个区县，系统性问题）``.

    Only issues with a letter among ``cases`` (those the account sees) are offered. For 选件's 同类问题 filter (walk
    W16: it listed all 87 stored issues, 74 of them single letters, by id and without sizes). Two groups said in the
    same words are told apart by a letter of each the account sees (``…，含 ZZ2026-0101``), not by the group's
    internal id (walk: every label ended ``｜I0008``, and the longest were cut)."""
    by_no = {c.case_no: c for c in cases}
    said: dict[str, str] = {}
    first: dict[str, str] = {}
    for r in rank_issues(saved_issue_clusters(session), by_no, today=today, at_risk_days=at_risk_days):
        if not (mine := sorted(n for n in r.cluster.case_nos if n in by_no)):
            continue
        spread = (f"，跨 {len(r.counties)} 个区县" if len(r.counties) > 1 else "") + (
            "，系统性问题" if r.cluster.systemic else "")
        said[r.cluster.cluster_id] = f"{r.cluster.label}（{r.cluster.size} 件{spread}"
        first[r.cluster.cluster_id] = mine[0]
    twice = {t for t in said.values() if list(said.values()).count(t) > 1}
    out = {cid: t + (f"，含 {first[cid]}）" if t in twice else "）") for cid, t in said.items()}
    # Never two options read alike (a letter in two groups): the group's id as the last resort.
    return {cid: t if list(out.values()).count(t) == 1 else f"{t}｜{cid}" for cid, t in out.items()}


def stored_groups_version(session: Session) -> str:
    """Cheap fingerprint of the analysis 关联分析 stored (its groups and their members): a page that caches what it
    read of them (选件) reads them again once a new analysis is stored."""
    from planner.store.models import ClusterMember, ClusterRow

    n, last = session.execute(select(func.count(ClusterRow.id), func.max(ClusterRow.updated_at))).one()
    members = session.scalar(select(func.count()).select_from(ClusterMember))
    return f"{n}|{last}|{members}"


def unanalysed_note(session: Session, cases: Sequence[PetitionCase]) -> str:
    """What 选件 says under its 同类问题 filter when 关联分析 has not stored groups for some of ``cases`` (the letters
    the account sees), or ``""``: the filter and the ranking's 同类问题 points come from the stored analysis, which
    only an account that sees every letter stores (walk W16b: a team leader ran 关联分析, the coordinator's 选件
    offered no group and said nothing)."""
    from planner.store.models import CaseRow, ClusterMember, ClusterRow

    if len(cases) < 2:
        return ""
    grouped = set(session.scalars(
        select(CaseRow.case_no).join(ClusterMember, ClusterMember.case_id == CaseRow.id)
        .join(ClusterRow, ClusterRow.id == ClusterMember.cluster_id).where(ClusterRow.kind == "issue")))
    missing = sum(1 for c in cases if c.case_no not in grouped)
    if not missing:
        return ""
    which = "这些信件" if missing == len(cases) else f"其中 {missing} 件（新导入或分析后改动的）"
    return (f"{which}尚未做关联分析：同类问题筛选和排序中的同类问题加分暂不包括它们。"
            "请协调员或管理员打开“关联分析”页（打开即分析并保存分组），再回到本页。")


#: What 路线规划 says after a 选件 it could not read back (:func:`planner.selection.memory.restore_note`).
REDO_SELECTION = "请重新选件。"


def restore_advice(note: str, plans: Sequence[PlanInfo]) -> str:
    """``note`` on a 选件 not read back, with advice that fits a leader whose plan is under way (walk 2: a leader
    whose plan was 执行中 was told 请重新选件): open the plan and re-plan the stops not yet visited there.

    ``plans`` are the actor's plans not done (:func:`plans_in_progress`); a note that keeps some stops, or a leader
    with no plan issued or running, keeps its words.
    """
    going = [p for p in plans if p.status in ("issued", "approved", "in_progress")]
    if not going or not note.endswith(REDO_SELECTION):
        return note
    names = "、".join(f"#{p.plan_id}「{p.name}」（{p.status_label}）" for p in going)
    return (note.removesuffix(REDO_SELECTION)
            + f"计划 {names}正在进行：要调整还没走访的点，请在上方“已保存的计划”中选它、点“打开此计划”，"
              "再点“重新规划其余走访点”；有新的信访件要走访时，再去选件页选件。")
