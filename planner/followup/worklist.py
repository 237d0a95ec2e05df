"""The field officer's list: cases to record an outcome for, today's planned visits first."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus
from planner.errors import InputError
from planner.followup.common import RETURN_VISIT, _case_row, _summary, _visible, case_key, stored_case_no
from planner.followup.returns import list_followups
from planner.followup.revisits import waiting_revisits
from planner.office.authorisation import ISSUED_PLAN_STATUSES, sees_drafts
from planner.office.privacy import search_words, visible_search_text
from planner.store.models import CaseRow, FollowUpRow, PlanCase, PlanRow


@dataclass(frozen=True, slots=True)
class VisitChoice:
    """A case a field officer may record an outcome for, with why it is on the list."""

    case_no: str
    label: str  # "平和县山格镇土田村 · 反映……"
    status: CaseStatus
    team_id: str = ""
    plan_id: int | None = None
    visit_date: dt.date | None = None
    is_return: bool = False  # an open return visit is due (listed first when within the week)
    planned_today: bool = False
    due_date: dt.date | None = None  # handling deadline including any extension
    # A visit put off (改期) or not met (未找到) that no plan holds (walk W15): ``待再访：12-07 改期，约定 12-09 再访
    # （已逾期 1 天）；计划 #3「…」第 2 版未能排入`` (:func:`planner.followup.revisits.waiting_revisits`).
    revisit: str = ""
    # A stop of an earlier day of a live plan still without an outcome (待登记; walk W26: yesterday's stops were
    # listed nowhere): ``visit_date`` is that day (:func:`planner.field.late_days.late_days`).
    late: bool = False

    def deadline_text(self, today: dt.date) -> str:
        """``期限 2026-12-31（剩 24 天）`` or ``期限 2026-12-01（已超期 6 天）``; empty without a deadline, and for a
        letter already 已化解, 已澄清 or 已办结 (walk I: 状态：已办结 · 期限 2026-12-09（剩 2 天）)."""
        if self.due_date is None or not self.status.is_open:
            return ""
        left = (self.due_date - today).days
        return f"期限 {self.due_date.isoformat()}（" + (f"剩 {left} 天）" if left >= 0 else f"已超期 {-left} 天）")

    def late_text(self) -> str:
        """``12-07 计划走访，尚未登记结果`` for a stop of an earlier day still 待登记, else ``""``."""
        return f"{self.visit_date:%m-%d} 计划走访，尚未登记结果" if self.late and self.visit_date else ""

    def option_label(self) -> str:
        """Text of the choice in a phone-width select box."""
        tag = "今日" if self.planned_today else (f"待登记 {self.visit_date:%m-%d}" if self.late and self.visit_date
                                               else "回访" if self.is_return else "待再访" if self.revisit
                                               else self.status.label)
        return f"[{tag}] {self.case_no} · {self.label}"


def visit_choices(
    session: Session,
    day: dt.date,
    *,
    team_ids: tuple[str, ...] = (),
    include_open: bool = True,
    return_within_days: int = 7,
    limit: int = 300,
    actor: object | None = None,
) -> list[VisitChoice]:
    """Cases to pick from when recording an outcome: today's planned visits first, then the stops of earlier days of
    a live plan still without an outcome (:func:`planner.field.late_days.late_days`), then return visits due soon and
    the visits put off or not met that no plan holds (:func:`planner.followup.revisits.waiting_revisits`, whenever
    due: a day promised to a petitioner stays listed), then other open or visited cases.

    Parameters
    ----------
    day
        The field day.
    team_ids
        Only visits planned for these teams (an officer's teams); empty: all teams.
    include_open
        Also list other open cases (a visit made outside a plan).
    return_within_days
        Return visits due up to this many days after ``day`` are listed.
    limit
        At most this many choices.
    actor
        Only cases this ``planner.office.security.Actor`` may see (None: all).
    """
    out: dict[str, VisitChoice] = {}
    today_q = _visible(
        select(PlanCase, CaseRow)
        .join(CaseRow, CaseRow.id == PlanCase.case_id)
        .where(PlanCase.visit_date == day)
        .order_by(PlanCase.team_id, PlanCase.seq, PlanCase.plan_id.desc()),
        actor,
    )
    if team_ids:
        today_q = today_q.where(PlanCase.team_id.in_(list(team_ids)))
    if actor is not None and not sees_drafts(actor):  # an officer's day is of issued plans: a draft may still change
        today_q = today_q.join(PlanRow, PlanRow.id == PlanCase.plan_id).where(PlanRow.status.in_(ISSUED_PLAN_STATUSES))
    returns = list_followups(session, kinds=(RETURN_VISIT,), due_by=day + dt.timedelta(days=return_within_days),
                             actor=actor)
    open_returns = {i.task.case_no for i in returns}
    for pc, c in session.execute(today_q):
        if c.case_no not in out:
            out[c.case_no] = VisitChoice(c.case_no, _place_summary(c), CaseStatus(c.status), pc.team_id, pc.plan_id,
                                         day, c.case_no in open_returns, True, _due(c))
    from planner.field.late_days import late_days

    for late in late_days(session, actor, day, team_ids=team_ids):  # work due: the officer's own teams' only
        for no in late.case_nos:
            if no not in out:
                c = _case_row(session, no)
                out[no] = VisitChoice(no, _place_summary(c), CaseStatus(c.status), late.day.team_id, late.day.plan_id,
                                      late.day.date, no in open_returns, False, _due(c), late=True)
    for item in returns:
        t = item.task
        if t.case_no not in out and (not team_ids or not t.preferred_team_id or t.preferred_team_id in team_ids):
            c = _case_row(session, t.case_no)
            out[t.case_no] = VisitChoice(t.case_no, _place_summary(c), CaseStatus(c.status), t.preferred_team_id,
                                         None, t.due_date, True, False, _due(c))
    for w in waiting_revisits(session, actor=actor).values():
        if w.case_no in out:
            out[w.case_no] = dataclasses.replace(out[w.case_no], revisit=w.text(day))
        elif not team_ids or not w.team_id or w.team_id in team_ids:
            c = _case_row(session, w.case_no)
            out[w.case_no] = VisitChoice(w.case_no, _place_summary(c), CaseStatus(c.status), w.team_id, None, w.due,
                                         False, False, _due(c), revisit=w.text(day))
    if include_open and len(out) < limit:
        wanted = [CaseStatus.SELECTED, CaseStatus.PLANNED, CaseStatus.VISITED, CaseStatus.REGISTERED]
        rows = session.scalars(
            _visible(select(CaseRow).where(CaseRow.status.in_([s.value for s in wanted])), actor)
            .order_by(CaseRow.deadline, CaseRow.case_no)
        )
        for c in rows:
            if len(out) >= limit:
                break
            if c.case_no not in out:
                out[c.case_no] = VisitChoice(c.case_no, _place_summary(c), CaseStatus(c.status), due_date=_due(c))
    return list(out.values())


def _awaiting_return(session: Session, case_nos: list[str]) -> set[str]:
    """The letters of ``case_nos`` with an open 回访, whenever it falls due: a visit recorded for one of them is that
    回访 by default (review: a team back ten days early recorded an ordinary visit, and the 回访 stayed proposed)."""
    if not case_nos:
        return set()
    return set(session.scalars(
        select(CaseRow.case_no).join(FollowUpRow, FollowUpRow.case_id == CaseRow.id)
        .where(CaseRow.case_no.in_(case_nos), FollowUpRow.kind == RETURN_VISIT, FollowUpRow.done.is_(False))
    ))


def _due(row: CaseRow) -> dt.date | None:
    return row.deadline + dt.timedelta(days=row.extension_days or 0) if row.deadline else None


def _place_summary(row: CaseRow) -> str:
    place = "".join(p for p in (row.county, row.town, row.village) if p)
    return f"{place} · {_summary(row, 24)}" if place else _summary(row, 30)


#: What a list of cases to record for can show: today's visits and due return visits, every open case, every case.
SCOPES: dict[str, str] = {"today": "今日与回访", "open": "未办结", "all": "全部"}
#: Case fields a search shows as they are (number, place, category) and the letter's own words, searched masked.
VISIBLE_FIELDS = ("case_no", "county", "town", "village", "category")
FREE_TEXT_FIELDS = ("address_text", "title", "content")
SEARCH_FIELDS = VISIBLE_FIELDS + FREE_TEXT_FIELDS
_CHUNK = 500  # case numbers per IN (...): well under SQLite's bound-parameter limit


@dataclass(frozen=True, slots=True)
class ChoicePage:
    """One page of the cases matching a search, and how many match in all (a list never cuts silently)."""

    choices: tuple[VisitChoice, ...]
    total: int
    offset: int
    limit: int
    leading: int = 0  # of ``total``: today's visits and return visits due within a week, listed first
    waiting: bool = False  # the leading ones include visits to make again that no plan holds (待再访)
    late: bool = False  # the leading ones include stops of earlier days still without an outcome (待登记)

    @property
    def pages(self) -> int:
        """Number of pages of ``limit`` cases."""
        return max(1, -(-self.total // self.limit))

    def caption(self, kept: VisitChoice | None = None) -> str:
        """``共 14 件符合，显示第 1–14 件`` (or ``没有符合的信访件``).

        ``kept`` is a letter listed first although it is not on this page (the one being worked on, outside the
        scope or on another page): when nothing else matches, the caption says that it alone is listed, not that
        nothing is (review: “没有符合的信访件” stood above a list of one).
        """
        if not self.total:
            if kept is not None:
                return (f"只列出正在办理的 {kept.case_no}（{kept.status.label}）：它不在此范围内，"
                        "范围内没有其他符合的信访件")
            return "没有符合的信访件"
        shown = f"显示第 {self.offset + 1}–{self.offset + len(self.choices)} 件"
        if 0 < self.leading < self.total:
            # Walk B: 未办结 listed 294 where 首页 counted 182 open letters; the difference is the visits and return
            # visits listed first, some of letters already settled (已化解·待回访).
            kinds = ["今日走访", *(["往日未登记的走访"] if self.late else []), "一周内到期的回访",
                     *(["待再访"] if self.waiting else [])]
            first = "、".join(kinds[:-1]) + "和" + kinds[-1]
            return (f"共 {self.total} 件符合：{first} {self.leading} 件在前，"
                    f"其余 {self.total - self.leading} 件；{shown}")
        return f"共 {self.total} 件符合，{shown}"


def search_hits(session: Session, case_nos: Iterable[str], query: str) -> list[str]:
    """The cases of ``case_nos`` (in their order) that answer a search typed on the page: every word in the case's
    number, place or category, or in its words (address, title, 反映内容) *as the page shows them* — ID numbers,
    phones and the letter's own petitioner names masked (:func:`planner.office.privacy.matches_search`). The page
    has no step that reveals identities, so nobody's search can confirm who wrote a letter. No words: all of them.
    """
    from planner.store.cases import NO_NAME, petitioner_names

    wanted = list(dict.fromkeys(case_nos))
    words = [case_key(w).casefold() for w in search_words(query)]
    if not words or not wanted:
        return wanted
    columns = [getattr(CaseRow, f) for f in SEARCH_FIELDS]
    hits: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start: start + _CHUNK]
        names = petitioner_names(session, chunk)
        for row in session.execute(select(*columns).where(CaseRow.case_no.in_(chunk))):
            values = dict(zip(SEARCH_FIELDS, row, strict=True))
            # The text the page shows (masked first, as matches_search masks it), then read as the import reads
            # numbers — NFKC on both sides: ＺＺ２０２６－００１ or １２３ typed with a Chinese input method finds
            # ZZ2026-001 or 123, and a number stored full-width is found by its half-width spelling (review).
            text = case_key(visible_search_text([values[f] for f in VISIBLE_FIELDS],
                                                [values[f] for f in FREE_TEXT_FIELDS],
                                                [n for n in names.get(values["case_no"], ()) if n not in NO_NAME]))
            if all(w in text.casefold() for w in words):
                hits.add(values["case_no"])
    return [no for no in wanted if no in hits]


def matches_query(session: Session, case_no: str, query: str) -> bool:
    """Whether a case answers a search typed on the page (:func:`search_hits`); scope ignored."""
    return bool(search_hits(session, [case_no], query))


def find_visit_choices(
    session: Session,
    day: dt.date,
    *,
    query: str = "",
    scope: str = "open",
    team_ids: tuple[str, ...] = (),
    actor: object | None = None,
    offset: int = 0,
    limit: int = 50,
) -> ChoicePage:
    """Cases to record an outcome for, found by number, place or words, a page at a time.

    Today's planned visits and return visits due within a week come first (scope ``"today"`` lists only them), then
    every open case (``"open"``) or every case, closed ones included (``"all"``: a clarified case stays reachable),
    each group by handling deadline.

    Parameters
    ----------
    day
        The field day.
    query
        Words that must all appear in a case's number, county, town, village or category, or in its address, title
        or text as the page shows them (identities masked: :func:`search_hits`).
    scope
        ``"today"``, ``"open"`` or ``"all"``.
    team_ids
        An officer's teams: only their planned visits come first.
    actor
        Only cases this ``planner.office.security.Actor`` may see (None: all).
    offset, limit
        The page: ``limit`` cases from ``offset``.

    Raises
    ------
    InputError
        For an unknown scope or a page size outside 1..500.
    """
    if scope not in SCOPES:
        raise InputError(f"范围应为 {'、'.join(f'{k}（{v}）' for k, v in SCOPES.items())} 之一，收到 {scope!r}")
    if not 1 <= int(limit) <= 500:
        raise InputError(f"每页可显示 1 到 500 件，收到 {limit!r}")
    searching = bool(search_words(query))
    first = visit_choices(session, day, team_ids=team_ids, include_open=False, actor=actor)
    if searching and first:
        hits = set(search_hits(session, [c.case_no for c in first], query))
        first = [c for c in first if c.case_no in hits]
    rest: list[str] = []
    if scope != "today":
        stmt = _visible(select(CaseRow.case_no), actor)
        if scope == "open":
            stmt = stmt.where(CaseRow.status.in_([s.value for s in CaseStatus if s.is_open]))
        stmt = stmt.order_by(CaseRow.deadline, CaseRow.case_no)
        seen = {c.case_no for c in first}
        rest = [no for no in session.scalars(stmt) if no not in seen]
        if searching:
            rest = search_hits(session, rest, query)
    total = len(first) + len(rest)
    offset = max(0, min(int(offset), max(0, total - 1)))
    window = [*first, *rest][offset: offset + int(limit)]
    wanted = [x for x in window if isinstance(x, str)]
    rows = {r.case_no: r for r in session.scalars(select(CaseRow).where(CaseRow.case_no.in_(wanted)))} \
        if wanted else {}
    awaiting = _awaiting_return(session, wanted)
    page = tuple(
        x if isinstance(x, VisitChoice)
        else VisitChoice(x, _place_summary(rows[x]), CaseStatus(rows[x].status), is_return=x in awaiting,
                         due_date=_due(rows[x]))
        for x in window
    )
    return ChoicePage(page, total, offset, int(limit), leading=len(first), waiting=any(c.revisit for c in first),
                      late=any(c.late for c in first))


def case_choice(session: Session, case_no: str, day: dt.date, *, actor: object | None = None) -> VisitChoice | None:
    """The list entry of one case (the one a user is working on), or None when it is gone or not visible to
    ``actor``; it says whether the case is planned ``day`` or awaits a 回访 (whenever it falls due)."""
    row = session.scalars(_visible(select(CaseRow).where(CaseRow.case_no == stored_case_no(session, case_no)),
                                   actor)).first()
    if row is None:
        return None
    planned = session.execute(
        select(PlanCase).where(PlanCase.case_id == row.id, PlanCase.visit_date == day).order_by(
            PlanCase.plan_id.desc()).limit(1)
    ).scalars().first()
    # Any open 回访, not only one due within the week: a team back at a settled letter early is making that 回访.
    returns = list_followups(session, kinds=(RETURN_VISIT,), case_no=row.case_no)
    waiting = waiting_revisits(session, case_nos=[row.case_no], actor=actor).get(row.case_no)
    return VisitChoice(row.case_no, _place_summary(row), CaseStatus(row.status),
                       planned.team_id if planned else "", planned.plan_id if planned else None,
                       day if planned else None, bool(returns), planned is not None, _due(row),
                       revisit=waiting.text(day) if waiting is not None else "")
