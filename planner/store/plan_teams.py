"""A saved plan's teams as the office has them now (walk W21: 重新规划其余走访点 planned with the copy of its team
saved in the plan, after 检查组 → 导入 had taken 12-09 out of its 可出行日期; 5 stops stayed on 12-09).

Re-planning an opened plan uses each team's current record (可出行日期, hours, members, skills, base, on or off),
keeping what the plan itself fixes: a day with a recorded (kept) or locked stop stays a day the team goes out. What
changed since the plan was made is said before re-planning (:attr:`PlanTeams.changes`), and a stop that stood on a
day its team no longer goes out and is left out says why (:func:`day_out_reasons`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping

from sqlalchemy.orm import Session

from planner.domain import Team, hhmm
from planner.routing.planio import PlanDocument
from planner.selection.labels import skill_names
from planner.store.teams import team_records, with_people


@dataclasses.dataclass(frozen=True)
class PlanTeams:
    """The teams a re-plan of a saved plan uses, and what changed in them since it was made."""

    teams: tuple[Team, ...]
    #: One sentence per changed team, for the page before re-planning.
    changes: tuple[str, ...] = ()
    #: team id -> the plan's days (today or later) with stops that the team no longer goes out on, and their stops.
    days_out: Mapping[str, Mapping[dt.date, int]] = dataclasses.field(default_factory=dict)

    def said(self) -> str:
        """``检查组自本计划制定后有改动，重新规划将按现在的设置：…`` ("" when nothing changed)."""
        if not self.changes:
            return ""
        return "检查组自本计划制定后有改动，重新规划将按检查组现在的设置：" + "；".join(self.changes) + "。"


def _days(dates: Iterable[dt.date]) -> str:
    return "、".join(f"{d:%m-%d}" for d in sorted(dates)) or "每个工作日"


def _names(team: Team) -> list[str]:
    return [m.name for m in team.members if m.name]


def _parts(was: Team, now: Team, out: Mapping[dt.date, int]) -> list[str]:
    """What changed of ``was`` (as the plan saved it) in ``now``, in words."""
    parts = []
    if set(was.available_dates) != set(now.available_dates):
        said = f"可出行日期已改为 {_days(now.available_dates)}（原 {_days(was.available_dates)}）"
        if out:
            said += "，" + "、".join(f"{d:%m-%d} 的 {n} 个走访点" for d, n in sorted(out.items())) + "将重新安排"
        parts.append(said)
    if (was.shift_start_min, was.shift_end_min) != (now.shift_start_min, now.shift_end_min):
        parts.append(f"上下班时间已改为 {hhmm(now.shift_start_min)}-{hhmm(now.shift_end_min)}"
                     f"（原 {hhmm(was.shift_start_min)}-{hhmm(was.shift_end_min)}）")
    if (was.break_earliest_min, was.break_latest_min, was.break_min if was.has_break else 0) != \
            (now.break_earliest_min, now.break_latest_min, now.break_min if now.has_break else 0):
        parts.append("午休已改为 " + (f"{hhmm(now.break_earliest_min)}-{hhmm(now.break_latest_min)} 开始，"
                                     f"{now.break_min} 分钟" if now.has_break else "不午休"))
    if was.max_visits_per_day != now.max_visits_per_day:
        parts.append(f"每日最多走访点已改为 {now.max_visits_per_day or '不限'}")
    if was.max_drive_min != now.max_drive_min:
        parts.append(f"每日最长车程已改为 {f'{now.max_drive_min} 分钟' if now.max_drive_min else '不限'}")
    came = [n for n in _names(now) if n not in _names(was)]
    went = [n for n in _names(was) if n not in _names(now)]
    if came or went:
        parts.append("成员" + "，".join(([f"新增 {'、'.join(came)}"] if came else [])
                                       + ([f"不再有 {'、'.join(went)}"] if went else [])))
    if (gained := now.all_skills() - was.all_skills()) | (lost := was.all_skills() - now.all_skills()):
        parts.append("专长" + "，".join(([f"新增 {skill_names(sorted(gained))}"] if gained else [])
                                       + ([f"不再有 {skill_names(sorted(lost))}"] if lost else [])))
    if (round(was.base_lon, 6), round(was.base_lat, 6)) != (round(now.base_lon, 6), round(now.base_lat, 6)):
        parts.append(f"出发地已改为 {now.base_name or f'{now.base_lon:.4f}, {now.base_lat:.4f}'}"
                     + (f"（原 {was.base_name}）" if was.base_name else ""))
    return parts


def plan_teams(session: Session, doc: PlanDocument, *, today: dt.date, fixed: Iterable[str] = ()) -> PlanTeams:
    """The teams to re-plan ``doc`` (a saved plan as opened) with: each one's current record, what changed.

    ``fixed``: the stops that keep their team and day (locked, or with a recorded result): their days stay days
    the team goes out, whatever its 可出行日期 say now, as do the days before ``today``. A team switched off since
    is left out (its stops go to the plan's other teams, or are listed as not planned) unless it has such a stop; a
    team no longer on record is planned as the plan saved it.
    """
    fixed = set(fixed)
    records = {r.team.team_id: r for r in team_records(session, team_ids=tuple(doc.teams))}
    current = {t.team_id: t for t in with_people(session, [r.team for r in records.values()])}
    teams, changes, days_out = [], [], {}
    for tid, was in doc.teams.items():
        now = current.get(tid)
        if now is None:  # deleted: nothing newer to plan with
            teams.append(was)
            continue
        routes = [r for r in doc.plan.routes if r.team_id == tid and r.stops]
        keep = {r.date for r in routes if r.date < today or any(s.visit_id in fixed for s in r.stops)}
        if not records[tid].active:
            if keep:
                teams.append(now)
                changes.append(f"{now.name or tid}已停用，但有已锁定或已记录结果的走访点，这些点保持不变")
            else:
                changes.append(f"{now.name or tid}已停用：其走访点将交给本计划的其他组，排不下的列为未安排")
            continue
        out = {}
        if now.available_dates:
            out = {r.date: len(r.stops) for r in routes
                   if r.date >= today and r.date not in now.available_dates and r.date not in keep}
            extra = {d for d in keep if d not in now.available_dates}
            if extra:  # the plan's own fixed days stay
                now = dataclasses.replace(now, available_dates=tuple(sorted({*now.available_dates, *extra})))
        if out:
            days_out[tid] = out
        if parts := _parts(was, dataclasses.replace(now, available_dates=current[tid].available_dates), out):
            changes.append(f"{now.name or tid}的" + "；".join(parts))
        teams.append(now)
    return PlanTeams(tuple(teams), tuple(changes), days_out)


def day_out_reasons(new: PlanDocument, previous: PlanDocument, found: PlanTeams) -> PlanDocument:
    """``new`` with each left-out stop that ``previous`` had on a day its team no longer goes out saying so first:
    ``原排在第一检查组 12-09：检查组不再在 12-09 出行（可出行日期已改）；…``."""
    if not found.days_out:
        return new
    was = {s.visit_id: (r.team_id, r.date) for r in previous.plan.routes for s in r.stops}
    names = {t.team_id: t.name or t.team_id for t in found.teams}
    out = []
    for u in new.plan.unassigned:
        tid, day = was.get(u.visit_id, ("", None))
        if day is not None and day in found.days_out.get(tid, {}):
            u = dataclasses.replace(u, reason=f"原排在{names.get(tid, tid)} {day:%m-%d}：检查组不再在 {day:%m-%d} "
                                              f"出行（可出行日期已改）；{u.reason}")
        out.append(u)
    return dataclasses.replace(new, plan=dataclasses.replace(new.plan, unassigned=tuple(out)))


def replan_said(found: PlanTeams) -> list[str]:
    """What a re-plan says about its teams: each change said before it, as done (``…已重新安排``)."""
    return [f"按检查组现在的设置重新规划：{c.replace('将重新安排', '已重新安排')}" for c in found.changes]
