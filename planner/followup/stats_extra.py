"""Statistics beside the figure table (walk 3): letters by the finding of their visits (属实/部分属实/不属实), letters
received by category, and open letters past their handling deadline.

:func:`compute_extras` is called by :func:`planner.followup.stats.compute_stats`, so that the 统计 page, the CLI and
the Excel export show the same counts under the same filters (county, category, team). Definitions:

- 认定结果 ``findings``: the letters with a visit (已走访, 回访 included) in the period, each counted once by the
  finding of its latest such visit that made one (属实, 部分属实, 不属实); a letter whose visits in the period made
  none counts as 未认定. The team is that visit's.
- 收到信访件（按类别）``received``: letters received (登记表的收件日期) in the period, by category; and
  ``by_county``: the same letters by county, with how many of them are still open and how many settled (已化解,
  已澄清 or 已办结) as of now (walk W23: 统计 had no received letters by county or status; only 首页, for all time).
- 逾期未办结 ``overdue``: letters still open (not 已化解, 已澄清 or 已办结) whose handling deadline, an extension
  included, is before ``today`` — a count as of that day, whatever the period.

For a team filter (a leader's or officer's own teams), a letter counts as the team's when a plan routes it to the
team or a recorded visit names the team (the rule of ``planner.office.authorisation.case_filter``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus
from planner.intake.categorize import category_as_written
from planner.store.models import CaseRow, PlanCase, VisitOutcomeRow
from planner.vocabulary import known_category

#: (key, Chinese label) of the findings, in report order.
FINDINGS: tuple[tuple[str, str], ...] = (("true", "属实"), ("partly", "部分属实"), ("false", "不属实"),
                                         ("unknown", "未认定"))
FINDING_LABELS = dict(FINDINGS)
NO_CATEGORY = "（未分类）"
#: How many register words the note under 收到信访件（按类别） names of each kind.
_NOTE_WORDS = 6

DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("认定结果（件）", "统计期内有已走访记录（含回访）的信访件，每件按期内最后一次作出认定的走访"
                "计入属实、部分属实或不属实；期内走访都未认定的计入未认定。检查组为作出认定的那次走访所填的组。"),
    ("收到信访件（件）", "收件日期在统计期内的信访件数，按类别列出；另按县区列出，并分未办结和已办结（含已化解、"
                 "已澄清）两项，按当前办理状态计。"),
    ("逾期未办结（件）", "截至统计当天仍未办结（不是已化解、已澄清、已办结）且已超过办理期限（含延期）的信访件数，"
                  "不受统计期间限制。"),
)


@dataclass(frozen=True, slots=True)
class Extras:
    """Counts beside the figure table: by finding, received by category, overdue open letters as of ``today``."""

    today: dt.date
    findings: dict[str, int] = field(default_factory=dict)
    received: tuple[tuple[str, int], ...] = ()  # (category, letters), most first
    overdue: int = 0
    by_county: tuple[tuple[str, int, int], ...] = ()  # (county, received, still open), in the city's county order
    #: How the received letters' categories were set (walk W25): (register word, category it was read as, letters)
    #: for a register word other than the category's name, and (word, letters) for a register's own word kept as
    #: written because no category of the vocabulary could be read from it (民生); letters inferred from the text.
    read_words: tuple[tuple[str, str, int], ...] = ()
    own_words: tuple[tuple[str, int], ...] = ()
    inferred: int = 0

    @property
    def received_total(self) -> int:
        """Letters received in the period (every category)."""
        return sum(n for _, n in self.received)

    def findings_table(self) -> list[list[object]]:
        """Rows (认定结果, 件数) with a 合计 row."""
        return [[label, self.findings.get(k, 0)] for k, label in FINDINGS] + [["合计", sum(self.findings.values())]]

    def received_table(self) -> list[list[object]]:
        """Rows (类别, 件数) with a 合计 row."""
        return [[c, n] for c, n in self.received] + [["合计", self.received_total]]

    def category_note(self) -> str:
        """Under 收到信访件（按类别）: how many letters' categories were read from a register's own word and as what,
        how many were inferred, and the register words counted as written (no category could be read from them)."""
        parts = []
        if self.read_words:
            n = sum(k for _, _, k in self.read_words)
            words = "，".join(f"“{w}”→{c} {k} 件" for w, c, k in self.read_words[:_NOTE_WORDS])
            more = "等" if len(self.read_words) > _NOTE_WORDS else ""
            parts.append(f"{n} 件的类别由登记表自己的词读出，计入本系统类别（{words}{more}）")
        if self.inferred:
            parts.append(f"{self.inferred} 件登记表没写类别，按反映内容推断")
        if self.own_words:
            words = "、".join(f"“{w}”（{k} 件）" for w, k in self.own_words[:_NOTE_WORDS])
            more = "等" if len(self.own_words) > _NOTE_WORDS else ""
            parts.append(f"登记表的类别{words}{more}无法确定对应本系统哪一类，按原词列出，请核对后在案件地图更正")
        return f"其中 {'；'.join(parts)}。" if parts else ""

    def county_table(self) -> list[list[object]]:
        """Rows (县区, 收件, 未办结, 已办结) of the letters received in the period, with a 合计 row."""
        rows = [[c, n, o, n - o] for c, n, o in self.by_county]
        n, o = sum(r[1] for r in rows), sum(r[2] for r in rows)
        return [*rows, ["合计", n, o, n - o]]

    def summary(self) -> str:
        """One Chinese line: findings, letters received and overdue open letters."""
        found = "，".join(f"{label} {self.findings.get(k, 0)} 件" for k, label in FINDINGS)
        return (f"认定结果：{found}；收到信访件 {self.received_total} 件；"
                f"截至 {self.today.isoformat()} 逾期未办结 {self.overdue} 件。")


def finding_of(report_true: bool | None, report_partly: bool | None) -> str:
    """``true`` / ``partly`` / ``false`` / ``unknown`` for a record's 反映问题."""
    if report_true is None:
        return "unknown"
    if report_true:
        return "partly" if report_partly else "true"
    return "false"


def compute_extras(
    session: Session, *, start: dt.date, end: dt.date, today: dt.date, cases: dict, outcomes: list,
    keep: Callable[[object], bool], team_filter: Iterable[str] = (),
    county_of: Callable[[object], str] = lambda c: c.county or "（未定位）", county_order: Sequence[str] = (),
) -> Extras:
    """The counts for ``start``..``end`` (findings, received) and as of ``today`` (overdue).

    ``cases`` are the case rows by id and ``outcomes`` the latest record of each visit (as
    :func:`planner.followup.stats.compute_stats` reads them, ``report_partly`` included); ``keep(case)`` applies the
    county and category filters; ``team_filter`` (empty: every team) keeps the letters of those teams;
    ``county_of(case)`` names a letter's row of the county table (市外 its own), listed in ``county_order``.
    """
    teams = set(team_filter)
    decided: dict[int, object] = {}
    visited: dict[int, object] = {}
    for o in outcomes:  # (day, id) order: the latest wins
        if o.result != "visited" or not start <= o.visit_date <= end:
            continue
        visited[o.case_id] = o
        if o.report_true is not None:
            decided[o.case_id] = o
    findings = dict.fromkeys(FINDING_LABELS, 0)
    for case_id, o in visited.items():
        o = decided.get(case_id, o)
        case = cases.get(case_id)
        if case is None or not keep(case) or (teams and o.team_id not in teams):
            continue
        findings[finding_of(o.report_true, getattr(o, "report_partly", False))] += 1

    team_cases = _team_case_ids(session, teams) if teams else None
    received: Counter[str] = Counter()
    read_words: Counter[tuple[str, str]] = Counter()
    own_words: Counter[str] = Counter()
    inferred = 0
    county_in: Counter[str] = Counter()
    county_open: Counter[str] = Counter()
    for case_id, case in cases.items():
        if case.received_date is None or not start <= case.received_date <= end or not keep(case):
            continue
        if team_cases is not None and case_id not in team_cases:
            continue
        received[case.category or NO_CATEGORY] += 1
        source, reason = getattr(case, "category_source", "") or "", getattr(case, "category_reason", "") or ""
        written = category_as_written(source, reason)
        if written and case.category and written != case.category:
            read_words[(written, case.category)] += 1
        elif source == "inferred" and case.category:
            inferred += 1
        elif not source and case.category and not known_category(case.category):
            own_words[case.category] += 1
        county = county_of(case)
        county_in[county] += 1
        county_open[county] += CaseStatus(case.status).is_open

    open_values = [s.value for s in CaseStatus if s.is_open]
    overdue = 0
    for case_id, deadline, extension in session.execute(
            select(CaseRow.id, CaseRow.deadline, CaseRow.extension_days).where(CaseRow.status.in_(open_values))):
        case = cases.get(case_id)
        if case is None or deadline is None or not keep(case):
            continue
        if team_cases is not None and case_id not in team_cases:
            continue
        if deadline + dt.timedelta(days=int(extension or 0)) < today:
            overdue += 1
    order = {name: i for i, name in enumerate(county_order)}
    by_county = tuple((c, n, county_open[c]) for c, n in sorted(
        county_in.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
    read = tuple((w, c, n) for (w, c), n in sorted(read_words.items(), key=lambda kv: (-kv[1], kv[0])))
    return Extras(today, findings, tuple(sorted(received.items(), key=lambda kv: (-kv[1], kv[0]))), overdue,
                  by_county, read, tuple(sorted(own_words.items(), key=lambda kv: (-kv[1], kv[0]))), inferred)


def _team_case_ids(session: Session, teams: set[str]) -> set[int]:
    """Letters a plan routes to one of ``teams`` or a recorded visit names one of them."""
    wanted = sorted(teams)
    ids = set(session.scalars(select(PlanCase.case_id).where(PlanCase.team_id.in_(wanted))))
    ids.update(session.scalars(select(VisitOutcomeRow.case_id).where(VisitOutcomeRow.team_id.in_(wanted))))
    return ids
