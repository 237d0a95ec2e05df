"""The office edits its inspection teams (检查组 page, teams.csv import): authorised, version-checked, audited."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import PLAN_STATUS_LABELS, Team, TeamMember
from planner.errors import ConflictError, InputError, NotFoundError
from planner.office import audit
from planner.office.authorisation import authorise
from planner.office.clock import local_today
from planner.office.team_changes import team_changes
from planner.store.lifecycle import LIVE_STATUSES, TeamDayClash, route_team_days
from planner.store.models import PlanRow, TeamRow
from planner.store.teams import TeamRecord, checked_team, save_team, team_records


def live_days(session: Session, team_id: str, *, today: dt.date) -> list[TeamDayClash]:
    """The issued or running plans that send ``team_id`` out on ``today`` or later: one entry per plan, its days.

    What a team must not be switched off under (:func:`edit_team`): its officers would keep the plan — see it, download
    its files, record outcomes — while the office counts the team as gone, and nobody else would take its stops.
    """
    row = session.get(TeamRow, team_id)
    name = row.name if row is not None else team_id
    out = []
    plans = select(PlanRow.id, PlanRow.name, PlanRow.status, PlanRow.result).where(
        PlanRow.status.in_(LIVE_STATUSES)).order_by(PlanRow.id)
    for pid, plan_name, status, result in session.execute(plans):
        days = {d: n for (t, d), n in route_team_days(result).items() if t == team_id and d >= today}
        if days:
            out.append(TeamDayClash(int(pid), plan_name or "", status or "", team_id, name, tuple(sorted(days)),
                                    sum(days.values())))
    return out


def live_days_text(clashes: list[TeamDayClash]) -> str:
    """``第六检查组 12-07、12-08 已在已下发的计划 #3「东山线」中有行程（5 个走访点）``, one such part per plan."""
    return "；".join(
        f"{c.team_name} {'、'.join(d.strftime('%m-%d') for d in c.dates)} 已在"
        f"{PLAN_STATUS_LABELS.get(c.status, '已下发')}的计划 #{c.plan_id}"
        + (f"「{c.plan_name}」" if c.plan_name else "") + f"中有行程（{c.stops} 个走访点）"
        for c in clashes
    )


def taken_out_warnings(session: Session, team_ids: tuple[str, ...] | list[str], *, today: dt.date) -> list[str]:
    """Issued or running plans that still send one of ``team_ids`` out (``today`` or later) on a day its 可出行日期
    no longer hold, or name on its sheets a member who has left it: one sentence per plan and team, saying what to do.

    Walk W21: 检查组 → 导入 took 12-09 out of 第一检查组's days while issued plan #1 had 4 stops there, and said
    nothing; the officer's phone kept the day. Said after a teams.csv import or a save on the 检查组 page.
    """
    from planner.store.teams import with_people

    now = {t.team_id: t for t in with_people(session, [r.team for r in team_records(session, team_ids=tuple(team_ids))
                                                        if r.active])}
    if not now:
        return []
    out = []
    plans = select(PlanRow.id, PlanRow.name, PlanRow.status, PlanRow.result).where(
        PlanRow.status.in_(LIVE_STATUSES)).order_by(PlanRow.id)
    for pid, plan_name, status, result in session.execute(plans):
        days = route_team_days(result)
        for tid, team in now.items():
            used = {d: n for (t, d), n in days.items() if t == tid and d >= today}
            if not used:
                continue
            said = []
            if off := {d: n for d, n in used.items() if team.available_dates and d not in team.available_dates}:
                said.append(f"在 {'、'.join(f'{d:%m-%d}（{n} 个走访点）' for d, n in sorted(off.items()))}派"
                            f"{team.name or tid}出行，但该组的可出行日期已不含 "
                            f"{'、'.join(f'{d:%m-%d}' for d in sorted(off))}")
            saved = next((t for t in (result or {}).get("teams") or () if str(t.get("id")) == tid), {})
            names = {m.name for m in team.members}
            if gone := [str(m.get("name")) for m in saved.get("members") or ()
                        if m.get("name") and str(m.get("name")) not in names]:
                said.append(f"行程单仍把 {'、'.join(gone)} 列为{team.name or tid}成员，而其已不在该组")
            if said:
                label = f"{PLAN_STATUS_LABELS.get(status, '已下发')}的计划 #{pid}" + (
                    f"「{plan_name}」" if plan_name else "")
                out.append(f"{label}：{'；'.join(said)}。请组长在“路线规划”中打开计划 #{pid}，"
                           "点“重新规划其余走访点”并保存为新版本，干部的行程才会随之更新。")
    return out


def disable_refusal(clashes: list[TeamDayClash]) -> str:
    """Why a team with live days cannot be switched off, and what to do first ("" when it has none)."""
    if not clashes:
        return ""
    plans = "、".join(f"#{c.plan_id}" for c in clashes)
    return (f"不能停用：{live_days_text(clashes)}。停用后这些走访点没有组去走，而该组的干部仍能看到计划、下载文件、"
            f"登记结果。请先在“路线规划”中打开计划 {plans} 重新规划，把这些天的走访点交给其他组"
            "（或撤回为草稿、标记完成），再停用。")


def edit_team(
    session: Session, team: Team, *, actor: object, expected_version: int | None, active: bool = True,
    today: dt.date | None = None,
) -> TeamRecord:
    """Create a team (``expected_version`` None) or save the office's changes to one; audited. The caller commits.

    Members without an id get a new one (:func:`planner.store.teams.new_member_id`); a member's id never changes
    afterwards.

    Parameters
    ----------
    team
        The team as the form left it.
    actor
        Who saves (needs ``manage_teams``).
    expected_version
        The version the form was loaded at; None creates a new team.
    active
        False switches the team off (it stays saved, but is no longer planned or offered).
    today
        The office's today (default :func:`planner.office.clock.local_today`): a team still sent out on this day
        or later by an issued or running plan (:func:`live_days`) is not switched off.

    Raises
    ------
    PermissionDenied
        The actor may not manage teams.
    ConflictError
        The 组号 is taken (creating), or someone saved the team after the form was loaded.
    NotFoundError
        The team to update no longer exists.
    InputError
        An empty name, a member without a name, or coordinates out of range; or the team is switched off while an
        issued or running plan still sends it out (:func:`disable_refusal`: re-plan or close the plan first).
    """
    authorise(actor, "manage_teams")
    row = session.get(TeamRow, team.team_id)
    if expected_version is None and row is not None:
        raise ConflictError(f"组号 {team.team_id!r} 已被检查组「{row.name}」使用，请换一个组号")
    if expected_version is not None and row is None:
        raise NotFoundError(f"检查组 {team.team_id!r} 已不存在（可能已被他人删除），请刷新页面")
    if row is not None and row.active and not active:
        if refusal := disable_refusal(live_days(session, team.team_id, today=today or local_today())):
            raise InputError(refusal)
    before = next(iter(team_records(session, team_ids=(team.team_id,))), None) if row is not None else None
    team = checked_team(session, team)
    save_team(session, team, expected_version=expected_version, active=active)
    detail = {"team": team.team_id, "team_name": team.name, "members": len(team.members), "active": active,
              "changes": team_changes(before.team if before else None, team,
                                      was_active=before.active if before else True, active=active)}
    if expected_version is None:
        audit.record(session, actor, "team_create", detail=detail)
    else:
        audit.record(session, actor, "team_update", detail=detail)
    return team_records(session, team_ids=(team.team_id,))[0]


def import_teams(session: Session, teams: list[Team], *, actor: object) -> dict[str, int]:
    """Save teams read from a teams.csv (``planner.intake.plan_files.read_teams``); audited. The caller commits.

    A team whose 组号 exists is updated; its 成员 column lists members by name (or by the id a file of this program
    wrote): a known member keeps their id, skills and hometown, a new name becomes a new member, a member not listed
    leaves the team; an empty 成员 cell keeps the team's members. Whether a team is switched on is kept.

    Returns
    -------
    dict[str, int]
        ``created`` and ``updated`` team counts.

    Raises
    ------
    PermissionDenied
        The actor may not manage teams.
    """
    authorise(actor, "manage_teams")
    counts = {"created": 0, "updated": 0}
    for team in teams:
        record = next(iter(team_records(session, team_ids=(team.team_id,))), None)
        known = {} if record is None else {k: m for m in record.team.members for k in (m.member_id, m.name)}
        # An empty 成员 cell (or a file without the column) keeps the team's members: removing people is done on
        # the page, one by one, never by a blank cell.
        members = [] if team.members or record is None else list(record.team.members)
        for m in team.members:
            entry = m.name.strip() or m.member_id.strip()
            members.append(known.get(entry) or TeamMember(member_id="", name=entry))
        team = checked_team(session, dataclasses.replace(team, members=tuple(members)))
        save_team(session, team, expected_version=None if record is None else record.version,
                  active=True if record is None else record.active)
        counts["updated" if record else "created"] += 1
    audit.record(session, actor, "team_import", detail=dict(counts))
    return counts
