"""Statistics (统计): every reported figure computed from recorded outcomes, clarifications and settlements.

One function, :func:`compute_stats`, computes all figures so that the page, the CLI and the Excel export always
agree. Definitions (also written into the Excel sheet 说明):

- 带信下访件数 ``letters_taken_down``: cases whose *first* on-site visit (outcome 已走访, not a 回访) falls in the
  period; a case visited again later is not counted again, and a case only return-visited (settled before it came
  into the system, say) is not counted: its 回访 count as 回访.
- 推动解决问题 ``cases_resolved``: cases whose first outcome marked "problem resolved" falls in the period; a 回访
  counts only when the visit before it found the problem unsolved (问题保持解决 resolves nothing).
- 入户走访 ``household_visits``, 收集问题线索 ``leads_collected``, 解决问题 ``problems_solved``: sums of the numbers
  recorded on the outcomes dated in the period (every visit, return visits included; never a 改期, a visit that did
  not happen). A visit is a case, a day and a team: when it was recorded more than once, only its latest record
  counts.
- 澄清 ``clarifications_issued``: clarification letters issued in the period.
- 重复信访化解 ``repeat_letters_settled``: repeat disputes settled (起): letters of a repeat chain (its petitioner
  wrote at least two letters, or it belongs to a stored ``repeat`` cluster) settled (已化解/已办结) on their own —
  by their 息诉息访 agreement or a visit that resolved the problem — each once, on that day. A re-sent letter settled
  along with an earlier letter of its chain (随前件化解) is that one dispute, not another (walk 3: W3-038 settled
  counted 3 with its two re-sends). A settlement undone by a corrected outcome is not counted.

Each figure is attributed to the case's county and category, and to the team of the outcome (for settlements: the
team that first visited the case; for clarifications: the team of the visit that found the report untrue, else of
the case's visits, else the issuer's own team — see :func:`_clarification_teams`).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.domain import VisitResult
from planner.errors import InputError
from planner.followup.feedback_basis import to_give_again
from planner.followup.overview import OUTSIDE_LABEL, outside_zhangzhou
from planner.followup.stats_extra import DEFINITIONS as EXTRA_DEFINITIONS
from planner.followup.stats_extra import Extras, compute_extras
from planner.followup.stats_visits import DEFINITIONS as VISIT_DEFINITIONS
from planner.followup.stats_visits import VISIT_KEYS, VISIT_LABELS, VisitCounts, count_visits
from planner.office.privacy import safe_row
from planner.store.models import (
    CaseRow,
    ClarificationRow,
    FeedbackRow,
    RectificationRow,
    SettlementRow,
    TeamRow,
    VisitOutcomeRow,
)

#: (key, Chinese header) of every figure, in report order.
FIGURES: tuple[tuple[str, str], ...] = (
    ("letters_taken_down", "带信下访件数"),
    ("cases_resolved", "推动解决问题（件）"),
    ("household_visits", "入户走访（户次）"),
    ("leads_collected", "收集问题线索（条）"),
    ("problems_solved", "解决问题（个）"),
    ("clarifications_issued", "澄清（人次）"),
    ("repeat_letters_settled", "重复信访化解（起）"),
    # Walk M: a coordinator could not report 双反馈, 整改 or 回访 from 统计.
    ("feedback_petitioner", "向信访人反馈（件）"),
    ("feedback_government", "向党委政府反馈（件）"),
    ("rectifications_done", "整改完成（项）"),
    ("return_visits", "回访（次）"),
)
FIGURE_KEYS = tuple(k for k, _ in FIGURES)
FIGURE_LABELS = dict(FIGURES)
#: Dimensions a table can be grouped by, with Chinese headers.
DIMENSIONS: dict[str, str] = {"county": "县区", "town": "乡镇", "period": "期间", "team": "检查组", "category": "类别"}
PERIODS: dict[str, str] = {"month": "月", "quarter": "季度", "year": "年"}
UNKNOWN = {"county": "（未定位）", "team": "（未记录）", "category": "（未分类）"}

_DEFINITIONS = (
    ("带信下访件数", "首次实地走访（结果为已走访，不含回访）日期在统计期内的信访件数；同一件多次走访只计一次；"
               "只有回访记录的信访件（如登记表中已化解、首次走访不在本系统）不计入，其回访计入回访（次）。"),
    ("推动解决问题（件）", "首次记录“问题已解决”的日期在统计期内的信访件数；回访只在前一次走访认定问题未解决时计入"
                   "（回访时问题保持解决的不计）。"),
    ("入户走访（户次）", "统计期内各次走访（含回访）记录的入户走访户次之和；"
                  "同一件同一天同一检查组的走访只计最新一条记录；改期（未走访）的不计。"),
    ("收集问题线索（条）", "统计期内各次走访记录的问题线索条数之和；改期（未走访）的不计。"),
    ("解决问题（个）", "统计期内各次走访记录的解决问题个数之和；改期（未走访）的不计。"),
    ("澄清（人次）", "统计期内出具的澄清函份数。"),
    ("重复信访化解（起）", "重复信访（同一信访人两件以上或重复举报链）化解或办结的起数：本件签订息诉息访协议或走访记录"
                    "“问题已解决”计一起，按其日期计入；随前件一并化解的重复件是同一起，不另计；"
                    "走访结果更正为未解决的不计。"),
    ("向信访人反馈（件）", "首次向信访人反馈的日期在统计期内的信访件数（同一件多次反馈只计一次）。"),
    ("向党委政府反馈（件）", "首次向当地党委政府反馈的日期在统计期内的信访件数（同一件多次反馈只计一次）。"),
    ("待重新反馈（件）", "上两项中，最近一次向该方的反馈所依据的认定（结果、是否属实、问题是否解决）其后被更正的"
                  "信访件数：已给的反馈仍按已反馈计入，另在汇总中列出，按新认定重新反馈后不再列出。"),
    ("整改完成（项）", "完成日期在统计期内的整改事项数。"),
    ("回访（次）", "统计期内结果为已走访的回访次数；同一件同一天同一检查组只计一次。"),
    ("检查组", "走访记录所填检查组；息诉息访、反馈和整改计入首次走访（只有回访的为首次回访）该件的检查组；"
            "澄清计入认定反映不实的那次走访的检查组（没有时依次为首次走访、最近一次走访该件的检查组、出具人所在的检查组），都没有的列为（未记录）。"),
)


@dataclass(frozen=True, slots=True)
class StatsRow:
    """One group of a statistics table: its dimension values and its figures."""

    keys: tuple[str, ...]
    figures: dict[str, int]

    def __getitem__(self, name: str) -> int:
        return self.figures[name]


@dataclass(frozen=True, slots=True)
class Stats:
    """Figures for a date range: grouped rows, totals and a continuous trend series by period."""

    start: dt.date
    end: dt.date
    by: tuple[str, ...]
    period: str
    rows: tuple[StatsRow, ...]
    totals: dict[str, int]
    trend: tuple[StatsRow, ...] = field(default=())
    #: Letters by finding, received by category and overdue open (:mod:`planner.followup.stats_extra`).
    extras: Extras | None = None
    #: Visits recorded by result, 已走访 / 未找到 / 改期 (:mod:`planner.followup.stats_visits`).
    visits: VisitCounts | None = None
    #: Of the letters counted in feedback_petitioner / feedback_government, those whose latest feedback of that side
    #: rests on a finding corrected since (待重新反馈, :mod:`planner.followup.feedback_basis`), by figure key.
    again: dict[str, int] = field(default_factory=dict)

    def headers(self) -> list[str]:
        """Chinese column headers of :meth:`table`."""
        return [DIMENSIONS[d] if d != "period" else f"期间（{PERIODS[self.period]}）" for d in self.by] + [
            FIGURE_LABELS[k] for k in FIGURE_KEYS
        ]

    def table(self, *, with_total: bool = True) -> list[list[object]]:
        """Rows as lists (dimension values then figures), plus a 合计 row."""
        out: list[list[object]] = [[*r.keys, *(r.figures[k] for k in FIGURE_KEYS)] for r in self.rows]
        if with_total:
            out.append(["合计", *([""] * (len(self.by) - 1)), *(self.totals[k] for k in FIGURE_KEYS)])
        return out

    def trend_table(self) -> list[list[object]]:
        """Trend rows: period then figures."""
        return [[r.keys[0], *(r.figures[k] for k in FIGURE_KEYS)] for r in self.trend]

    def summary(self) -> str:
        """One Chinese line with the totals, like the seed article's."""
        t = self.totals
        return (
            f"{self.start.isoformat()} 至 {self.end.isoformat()}：带信下访 {t['letters_taken_down']} 件，"
            f"推动解决问题 {t['cases_resolved']} 件；入户走访 {t['household_visits']} 户次，"
            f"收集问题线索 {t['leads_collected']} 条，解决问题 {t['problems_solved']} 个；"
            f"澄清 {t['clarifications_issued']} 人次；重复信访化解 {t['repeat_letters_settled']} 起；"
            f"向信访人反馈 {t['feedback_petitioner']} 件{self.again_text('feedback_petitioner')}，"
            f"向党委政府反馈 {t['feedback_government']} 件{self.again_text('feedback_government')}；"
            f"整改完成 {t['rectifications_done']} 项，回访 {t['return_visits']} 次。"
        )


    def again_text(self, key: str) -> str:
        """``（其中 1 件认定已更正，待重新反馈）`` for a feedback figure, or ``""``."""
        return f"（其中 {n} 件认定已更正，待重新反馈）" if (n := self.again.get(key, 0)) else ""


def period_key(day: dt.date, period: str) -> str:
    """``2026-03`` (month), ``2026-Q1`` (quarter) or ``2026`` (year)."""
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if period == "year":
        return str(day.year)
    raise InputError(f"统计周期应为 month（月）、quarter（季）或 year（年），收到 {period!r}")


def period_keys(start: dt.date, end: dt.date, period: str) -> list[str]:
    """Every period key from ``start`` to ``end`` in order (the x axis of a trend chart)."""
    keys: list[str] = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        k = period_key(dt.date(y, m, 1), period)
        if not keys or keys[-1] != k:
            keys.append(k)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return keys


@functools.cache
def _county_lookup() -> tuple[dict[str, str], dict[str, str]]:
    """(code -> current name, any written name -> current name) for the 11 counties, old codes and names included."""
    try:
        import geodata
    except ImportError:  # the figures still work, grouped by the names as written
        return {}, {}
    by_code: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for c in geodata.counties():
        for code in (c.code, *c.old_codes):
            by_code[code] = c.name
        for name in (c.name, c.short, *c.old_names):
            if name:
                by_name[name] = c.name
    return by_code, by_name


def county_order() -> tuple[str, ...]:
    """The 11 counties' current names in the official order (芗城区 350602 … 华安县 350629, by code)."""
    try:
        import geodata
    except ImportError:
        return ()
    return tuple(c.name for c in sorted(geodata.counties(), key=lambda c: c.code))


def _row_order(by: tuple[str, ...], keys: tuple[str, ...]) -> tuple:
    """Sort key of a table row: counties in the official order (unknown ones last), everything else by its text."""
    order = {name: i for i, name in enumerate(county_order())}

    def county_of(k: str) -> str:  # a town's key starts with its county's name (平和县山格镇)
        return next((name for name in order if k.startswith(name)), k)

    return tuple((order.get(k, len(order)), k) if d == "county"
                 else (order.get(county_of(k), len(order)), k) if d == "town" else (0, k)
                 for d, k in zip(by, keys, strict=True))


def _town_name(county: str, town: str) -> str:
    """A town as the table names it: with its county, so that two towns of one name in two counties stay apart
    (平和县山格镇); a letter placed only to the county is counted as ``平和县（只到县区）``. The town is the case's
    stored one: a village the office files under an everyday town (大地村 → 仙都镇, ``zone_village_towns.csv``)
    was stored under that town when it was placed."""
    town = str(town or "").strip()
    if county in (UNKNOWN["county"], OUTSIDE_LABEL):
        return county
    return f"{county}{town}" if town else f"{county}（只到县区）"


def _county_name(code: str, name: str) -> str:
    """The current county name for a code or a name as written (350681 / 龙海市 -> 龙海区)."""
    by_code, by_name = _county_lookup()
    code = str(code or "").strip()[:6]
    name = str(name or "").strip()
    return by_code.get(code) or by_name.get(name) or name or UNKNOWN["county"]


def compute_stats(
    session: Session,
    *,
    start: dt.date,
    end: dt.date,
    by: Iterable[str] = ("county",),
    period: str = "month",
    county_codes: Iterable[str] = (),
    categories: Iterable[str] = (),
    team_ids: Iterable[str] = (),
    actor: object = None,
    today: dt.date | None = None,
) -> Stats:
    """Compute every figure for ``start``..``end`` (inclusive) from recorded data, grouped by ``by``.

    Parameters
    ----------
    session
        Open session (read only).
    start, end
        Inclusive date range.
    by
        Dimensions to group by, any of ``"county"``, ``"town"`` (乡镇, named with its county), ``"period"``,
        ``"team"``, ``"category"``; empty gives one row of totals.
    period
        Length of a period for grouping and for the trend: ``"month"``, ``"quarter"`` or ``"year"``.
    county_codes, categories, team_ids
        Filters (empty: all). County codes may be old ones (350681 counts as 龙海区).
    actor
        The signed-in user: leaders and officers get the figures of their own teams only (None: every team).
    today
        The day overdue open letters are counted on (None: the office's today).

    Returns
    -------
    Stats
        Grouped rows (sorted by their keys), totals and the trend by period (every period of the range, zeros
        included).

    Raises
    ------
    InputError
        For an unknown dimension or period, or ``start`` after ``end``.
    PermissionDenied
        When ``actor`` may not see statistics, or belongs to no team (never "all teams" by mistake).
    """
    if actor is not None:
        team_ids = _scoped_teams(actor, team_ids)
    by = tuple(by)
    if unknown := [d for d in by if d not in DIMENSIONS]:
        known = "、".join(f"{k}（{v}）" for k, v in DIMENSIONS.items())
        raise InputError(f"不认识的分组方式 {unknown!r}；可用 {known}")
    if len(set(by)) != len(by):
        raise InputError(f"分组方式有重复：{by!r}")
    if period not in PERIODS:
        raise InputError(f"统计周期应为 month（月）、quarter（季）或 year（年），收到 {period!r}")
    if not (isinstance(start, dt.date) and isinstance(end, dt.date)):
        raise InputError(f"统计起止应为日期（如 2026-12-07），收到 {start!r} 和 {end!r}")
    if start > end:
        raise InputError(f"开始日期 {start.isoformat()} 晚于结束日期 {end.isoformat()}")
    county_filter = {_county_name(c, "") for c in county_codes}
    category_filter = set(categories)
    team_filter = set(team_ids)

    cases = {
        r.id: r
        for r in session.execute(
            select(CaseRow.id, CaseRow.case_no, CaseRow.county_code, CaseRow.county, CaseRow.town, CaseRow.category,
                   CaseRow.petitioner_key, CaseRow.received_date, CaseRow.status, CaseRow.category_source,
                   CaseRow.category_reason)
        )
    }
    outside = outside_zhangzhou(session)  # 市外（转外地办理）: a row of their own, not （未定位）
    team_names = dict(session.execute(select(TeamRow.id, TeamRow.name)).all())
    outcomes = latest_per_visit(session.execute(
        select(VisitOutcomeRow.id, VisitOutcomeRow.case_id, VisitOutcomeRow.visit_date, VisitOutcomeRow.result,
               VisitOutcomeRow.team_id, VisitOutcomeRow.problem_resolved, VisitOutcomeRow.households_visited,
               VisitOutcomeRow.leads_collected, VisitOutcomeRow.problems_solved, VisitOutcomeRow.visit_type,
               VisitOutcomeRow.report_true, VisitOutcomeRow.report_partly)
        .order_by(VisitOutcomeRow.visit_date, VisitOutcomeRow.id)
    ).all())

    # (date, case_id, team_id, figure, amount): every figure is a sum of such events.
    events: list[tuple[dt.date, int, str, str, int]] = []
    first_visit: dict[int, tuple[dt.date, str]] = {}  # the first 已走访 of any kind: whose team a case counts for
    taken_down: dict[int, tuple[dt.date, str]] = {}  # the first 已走访 that is not a 回访: 带信下访
    first_resolved: dict[int, tuple[dt.date, str]] = {}
    last_resolved: dict[int, bool] = {}  # whether the case's latest 已走访 so far found the problem solved
    for o in outcomes:
        if o.result == "visited":
            is_return = o.visit_type == "return"
            first_visit.setdefault(o.case_id, (o.visit_date, o.team_id))
            if not is_return:
                taken_down.setdefault(o.case_id, (o.visit_date, o.team_id))
            # A 回访 that finds the problem still solved (问题保持解决) resolved nothing: only a 回访 after a visit that
            # found it unsolved counts as 推动解决问题 (a letter settled in its register, then return-visited, was).
            if o.problem_resolved and (not is_return or last_resolved.get(o.case_id) is False):
                first_resolved.setdefault(o.case_id, (o.visit_date, o.team_id))
            last_resolved[o.case_id] = bool(o.problem_resolved)
        returned = int(o.result == "visited" and o.visit_type == "return")
        # A 改期 is a visit that did not happen: its counts are none, whatever a row recorded before they were
        # refused says (a 改期 with 入户走访 12 counted twelve household visits that never took place).
        done = o.result != VisitResult.POSTPONED.value
        for fig, amount in (("household_visits", o.households_visited if done else 0),
                            ("leads_collected", o.leads_collected if done else 0),
                            ("problems_solved", o.problems_solved if done else 0), ("return_visits", returned)):
            if amount:
                events.append((o.visit_date, o.case_id, o.team_id, fig, amount))
    for case_id, (day, team) in taken_down.items():
        events.append((day, case_id, team, "letters_taken_down", 1))
    for case_id, (day, team) in first_resolved.items():
        events.append((day, case_id, team, "cases_resolved", 1))
    for day, case_id, team in _clarification_teams(session, outcomes, first_visit):
        events.append((day, case_id, team, "clarifications_issued", 1))
    for case_id, day, team in _repeat_letters_settled(session, cases, first_resolved, first_visit):
        events.append((day, case_id, team, "repeat_letters_settled", 1))
    first_feedback: dict[tuple[int, str], dt.date] = {}
    for case_id, side, day in session.execute(select(FeedbackRow.case_id, FeedbackRow.side, FeedbackRow.feedback_date)
                                              .order_by(FeedbackRow.feedback_date, FeedbackRow.id)):
        first_feedback.setdefault((case_id, side), day)
    any_visit: dict[int, list] = defaultdict(list)
    for o in outcomes:  # in (day, id) order
        if o.team_id:
            any_visit[o.case_id].append(o)

    def team_of(case_id: int, day: dt.date) -> str:
        """Feedback and 整改 count for the team that first visited the case, else (no visit 已走访, e.g. one
        corrected to 未找到 after the feedback, walk W15: both feedbacks went to （未记录）) the team of its latest
        visit on or before ``day``, else of its first visit of any result — as its 澄清 is credited."""
        team = first_visit.get(case_id, (None, ""))[1]
        if not team and (rows := any_visit.get(case_id)):
            team = next((o for o in reversed(rows) if o.visit_date <= day), rows[0]).team_id
        return team or ""

    for (case_id, side), day in first_feedback.items():
        if side in ("petitioner", "government"):
            events.append((day, case_id, team_of(case_id, day), f"feedback_{side}", 1))
    done = select(RectificationRow.case_id, RectificationRow.done_date).where(
        RectificationRow.done.is_(True), RectificationRow.done_date.is_not(None))
    for case_id, day in session.execute(done):
        events.append((day, case_id, team_of(case_id, day), "rectifications_done", 1))

    groups: dict[tuple[str, ...], dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURE_KEYS, 0))
    trend: dict[str, dict[str, int]] = {k: dict.fromkeys(FIGURE_KEYS, 0) for k in period_keys(start, end, period)}
    totals = dict.fromkeys(FIGURE_KEYS, 0)
    def place(day: dt.date, case_id: int, team_id: str) -> dict[str, str] | None:
        """An event's dimension values, None when the period or a filter leaves it out."""
        if not start <= day <= end or case_id not in cases:
            return None
        case = cases[case_id]
        county = OUTSIDE_LABEL if case.case_no in outside else _county_name(case.county_code, case.county)
        values = {
            "county": county,
            "town": _town_name(county, case.town),
            "category": case.category or UNKNOWN["category"],
            "team": team_names.get(team_id, team_id) if team_id else UNKNOWN["team"],
            "period": period_key(day, period),
        }
        if (county_filter and values["county"] not in county_filter) or (
                category_filter and case.category not in category_filter) or (
                team_filter and team_id not in team_filter):
            return None
        return values

    redo = to_give_again(session)  # walk W17: feedback given on a finding corrected since
    again = dict.fromkeys(("feedback_petitioner", "feedback_government"), 0)
    for day, case_id, team_id, fig, amount in events:
        if (values := place(day, case_id, team_id)) is None:
            continue
        if fig in again and (case_id, fig.removeprefix("feedback_")) in redo:
            again[fig] += 1
        groups[tuple(values[d] for d in by)][fig] += amount
        trend[values["period"]][fig] += amount
        totals[fig] += amount
    if by == ("county",):
        # An office's table lists every county, zeros included (within the county filter).
        for name in county_order():
            if not county_filter or name in county_filter:
                groups[(name,)]
    rows = tuple(StatsRow(k, dict(v)) for k, v in sorted(groups.items(), key=lambda kv: _row_order(by, kv[0])))

    def keep(case) -> bool:  # the county and category filters, as the figures apply them
        county = OUTSIDE_LABEL if case.case_no in outside else _county_name(case.county_code, case.county)
        return (not county_filter or county in county_filter) and (not category_filter
                                                                    or case.category in category_filter)

    if today is None:
        from planner.office.clock import local_today

        today = local_today()
    extras = compute_extras(session, start=start, end=end, today=today, cases=cases, outcomes=outcomes, keep=keep,
                            team_filter=team_filter, county_of=lambda c: OUTSIDE_LABEL if c.case_no in outside
                            else _county_name(c.county_code, c.county), county_order=county_order())
    # Walk W12: 未找到 and 改期 appeared nowhere; every visit recorded is counted by its result.
    visits = count_visits(outcomes, by, trend, lambda o: place(o.visit_date, o.case_id, o.team_id or ""),
                          lambda k: _row_order(by, k))
    return Stats(start, end, by, period, rows, totals, tuple(StatsRow((k,), v) for k, v in trend.items()), extras,
                 visits, again)


def _clarification_teams(session: Session, outcomes: list, first_visit: dict) -> list[tuple[dt.date, int, str]]:
    """(day, case id, team) of every clarification issued: credited to the team of the visit it rests on — the
    latest visit on or before the letter that found the report untrue (已走访, 反映不实), else the first such visit —
    then the case's first 已走访 team, then the team of the case's latest visit of any result (未找到, 改期), then the
    team of the person who issued it when they belong to exactly one team; only with none of those is it （未记录）.
    Walk S: a letter whose only visit was 未找到 was credited to no team (office 澄清 1, its team 0)."""
    from planner.store.models import UserRow

    untrue: dict[int, list] = defaultdict(list)
    any_visit: dict[int, list] = defaultdict(list)
    for o in outcomes:  # in (day, id) order
        if o.team_id:
            any_visit[o.case_id].append(o)
            if o.result == "visited" and o.report_true is False:
                untrue[o.case_id].append(o)
    members = {u: list(t or []) for u, t in session.execute(select(UserRow.username, UserRow.team_ids))}

    def before(rows: list, day: dt.date):
        return next((o for o in reversed(rows) if o.visit_date <= day), rows[0] if rows else None)

    out = []
    for case_id, day, who in session.execute(
            select(ClarificationRow.case_id, ClarificationRow.issued_date, ClarificationRow.recorded_by)
            .where(ClarificationRow.withdrawn_at.is_(None))):  # 已撤回 letters clear nobody (task S49b)
        ground = before(untrue[case_id], day) if untrue[case_id] else None
        team = (ground.team_id if ground is not None else first_visit.get(case_id, (None, ""))[1])
        if not team and any_visit[case_id]:
            team = before(any_visit[case_id], day).team_id
        if not team and len(members.get(who or "", [])) == 1:
            team = str(members[who][0])
        out.append((day, case_id, team or ""))
    return out


def _scoped_teams(actor: object, team_ids: Iterable[str]) -> tuple[str, ...]:
    """The team filter ``actor`` may use: theirs (within ``team_ids`` when given), or any for the office."""
    from planner.errors import PermissionDenied
    from planner.office.authorisation import authorise, team_scope

    authorise(actor, "view_stats")
    scope = team_scope(actor)
    wanted = tuple(team_ids)
    if scope is None:
        return wanted
    mine = tuple(sorted(scope & set(wanted))) if wanted else tuple(sorted(scope))
    if not mine:
        who = getattr(actor, "username", "")
        raise PermissionDenied(f"{who!r} 不属于任何检查组（或所选组不是本人的组），没有可统计的走访结果")
    return mine


def latest_per_visit(rows: Iterable) -> list:
    """One outcome per visit — a case, a day, a team — the latest recorded, in (day, id) order.

    A visit saved twice (a double tap, an old form saved again before corrections were kept on one record) is the
    same visit: counting both would double its households, leads and problems solved.
    """
    latest: dict[tuple, object] = {}
    for r in rows:
        key = (r.case_id, r.visit_date, r.team_id or "")
        if key not in latest or r.id > latest[key].id:
            latest[key] = r
    return sorted(latest.values(), key=lambda r: (r.visit_date, r.id))


def records_version(session: Session) -> str:
    """A fingerprint of every record the figures come from (outcomes, clarifications, settlements, cases): a cache
    keyed on it is never stale, since any save or correction changes a count, an id or a version."""
    parts = []
    for table, has_version in ((VisitOutcomeRow, True), (ClarificationRow, True), (SettlementRow, False),
                               (CaseRow, True)):
        columns = [func.count(), func.max(table.id)] + ([func.sum(table.version)] if has_version else [])
        parts.extend(str(v) for v in session.execute(select(*columns)).one())
    return "-".join(parts)


def duplicate_visit_records(session: Session) -> int:
    """Outcome records beyond the first of their visit (case, day, team): what would be counted twice (target 0)."""
    rows = session.execute(select(VisitOutcomeRow.id, VisitOutcomeRow.case_id, VisitOutcomeRow.visit_date,
                                  VisitOutcomeRow.team_id)).all()
    return len(rows) - len(latest_per_visit(rows))


def _repeat_letters_settled(
    session: Session, cases: dict, first_resolved: dict[int, tuple[dt.date, str]],
    first_visit: dict[int, tuple[dt.date, str]],
) -> list[tuple[int, dt.date, str]]:
    """(case id, day, team) of every repeat dispute settled now: a letter of a repeat chain settled (已化解 or
    已办结) on its own, once each.

    The day a letter was settled: its own 息诉息访 agreement or its first visit that resolved the problem,
    whichever came first. A re-sent letter settled along with the first letter of its chain (重复件，随前件化解) is
    that letter's dispute and is not counted again. A letter whose settlement was undone (a corrected outcome) is not
    counted, and correcting an outcome again never counts a letter twice.
    """
    from planner.domain import CaseStatus

    repeat_ids = _repeat_case_ids(session, cases)
    if not repeat_ids:
        return []
    settled_now = {i for i, status in session.execute(select(CaseRow.id, CaseRow.status))
                   if i in repeat_ids and status in (CaseStatus.RESOLVED.value, CaseStatus.CLOSED.value)}
    own: dict[int, tuple[dt.date, str]] = {i: v for i, v in first_resolved.items() if i in settled_now}
    for case_id, day in session.execute(
        select(SettlementRow.case_id, func.min(SettlementRow.agreed_date)).group_by(SettlementRow.case_id)
    ).all():
        if case_id in settled_now and (case_id not in own or day < own[case_id][0]):
            own[case_id] = (day, first_visit.get(case_id, (None, ""))[1])
    # A re-sent letter settled along with another (随前件 X 化解/办结) is X's dispute: counted with X, not again.
    return [(i, day, team) for i, (day, team) in own.items()]


def _repeat_case_ids(session: Session, cases: dict) -> set[int]:
    """Cases in a repeat chain of two or more letters: one writer's letters of one matter, or a stored repeat
    cluster (:func:`planner.store.cases.chain_mates`, as 选件, the settling and 关联分析 chain letters)."""
    from planner.store.cases import chain_mates
    from planner.store.chains import repeat_cluster_ids

    ids = {row.case_no: case_id for case_id, row in cases.items()}
    return {ids[no] for no in chain_mates(session, ids)}.union(*repeat_cluster_ids(session))


def stats_to_excel(stats: Stats, path: str | Path | None = None) -> bytes:
    """Write the figures to an Excel workbook (sheets 汇总, 趋势, 说明) with Chinese headers.

    Every row goes through :func:`planner.office.privacy.safe_row` so no cell is read as a formula.

    Parameters
    ----------
    stats
        Result of :func:`compute_stats`.
    path
        Where to write the file; None only returns the bytes.

    Returns
    -------
    bytes
        The ``.xlsx`` file content.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    bold = Font(bold=True)
    ws = wb.active
    ws.title = "汇总"
    ws.append([f"带信下访工作统计（{stats.start.isoformat()} 至 {stats.end.isoformat()}）"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(safe_row(stats.headers() if stats.by else ["范围", *(FIGURE_LABELS[k] for k in FIGURE_KEYS)]))
    for cell in ws[3]:
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in stats.table() if stats.by else [["合计", *(stats.totals[k] for k in FIGURE_KEYS)]]:
        ws.append(safe_row(row))
    for cell in ws[ws.max_row]:
        cell.font = bold
    if any(stats.again.values()):  # walk W17: feedback given on a finding corrected since
        ws.append([])
        ws.append(["待重新反馈（件）", f"向信访人 {stats.again.get('feedback_petitioner', 0)} 件，向党委政府 "
                   f"{stats.again.get('feedback_government', 0)} 件（已计入上表反馈，所依据的认定其后已更正）"])
    for col, width in zip("ABCDEFGHIJK", [14] * len(stats.by) + [12] * len(FIGURE_KEYS), strict=False):
        ws.column_dimensions[col].width = width

    tr = wb.create_sheet("趋势")
    tr.append([f"期间（{PERIODS[stats.period]}）", *(FIGURE_LABELS[k] for k in FIGURE_KEYS)])
    for cell in tr[1]:
        cell.font = bold
    for row in stats.trend_table():
        tr.append(safe_row(row))

    if (ex := stats.extras) is not None:
        # Walk 3: 统计 had no figures by finding, none for letters received by category, no overdue count.
        more = wb.create_sheet("认定与收件")
        for title, rows in (("认定结果", ex.findings_table()), ("收到信访件（按类别）", ex.received_table()),
                            (f"逾期未办结（截至 {ex.today.isoformat()}）", [["合计", ex.overdue]])):
            if title.startswith("逾期"):
                more.append(["收到信访件（按县区）", "收件", "未办结", "已办结（含化解、澄清）"])
                for cell in more[more.max_row]:
                    cell.font = bold
                for row in ex.county_table():
                    more.append(safe_row(row))
                more.append([])
            more.append([title, "件数"])
            for cell in more[more.max_row]:
                cell.font = bold
            for row in rows:
                more.append(safe_row(row))
            if title.startswith("收到") and (note := ex.category_note()):  # walk W25: which words were read how
                more.append(safe_row([note]))
            more.append([])
        more.column_dimensions["A"].width = 30
        more.column_dimensions["B"].width = 10

    if (vc := stats.visits) is not None:  # walk W12: 未找到 and 改期 were in no sheet
        vs = wb.create_sheet("走访结果")
        vs.append([*stats.headers()[:len(stats.by)], *(VISIT_LABELS[k] for k in VISIT_KEYS)] if stats.by
                  else ["范围", *(VISIT_LABELS[k] for k in VISIT_KEYS)])
        for row in vc.table():
            vs.append(safe_row(row))
        vs.append([])
        vs.append([f"期间（{PERIODS[stats.period]}）", *(VISIT_LABELS[k] for k in VISIT_KEYS)])
        for row in vc.trend_table():
            vs.append(safe_row(row))

    notes = wb.create_sheet("说明")
    notes.append(["指标", "口径"])
    for cell in notes[1]:
        cell.font = bold
    for name, text in (*_DEFINITIONS, *VISIT_DEFINITIONS, *EXTRA_DEFINITIONS):
        notes.append([name, text])
    notes.append(["统计期间", f"{stats.start.isoformat()} 至 {stats.end.isoformat()}"])
    notes.append(["分组", "、".join(DIMENSIONS[d] for d in stats.by) or "不分组"])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 80

    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data
