"""The office edits its inspection teams (检查组 page, teams.csv import): authorised, version-checked, audited."""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session

from planner.domain import Team, TeamMember
from planner.errors import ConflictError, NotFoundError
from planner.office import audit
from planner.office.authorisation import authorise
from planner.store.models import TeamRow
from planner.store.teams import TeamRecord, checked_team, save_team, team_records


def edit_team(
    session: Session, team: Team, *, actor: object, expected_version: int | None, active: bool = True
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

    Raises
    ------
    PermissionDenied
        The actor may not manage teams.
    ConflictError
        The 组号 is taken (creating), or someone saved the team after the form was loaded.
    NotFoundError
        The team to update no longer exists.
    InputError
        An empty name, a member without a name, or coordinates out of range.
    """
    authorise(actor, "manage_teams")
    row = session.get(TeamRow, team.team_id)
    if expected_version is None and row is not None:
        raise ConflictError(f"组号 {team.team_id!r} 已被检查组「{row.name}」使用，请换一个组号")
    if expected_version is not None and row is None:
        raise NotFoundError(f"检查组 {team.team_id!r} 已不存在（可能已被他人删除），请刷新页面")
    team = checked_team(session, team)
    save_team(session, team, expected_version=expected_version, active=active)
    detail = {"team": team.team_id, "team_name": team.name, "members": len(team.members), "active": active}
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
