"""Inspection teams and their members in the database, and the default teams of a fresh installation."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from planner.domain import Team, TeamMember
from planner.errors import ConflictError, InputError, NotFoundError
from planner.store.models import TeamMemberRow, TeamRow, UserRow
from planner.vocabulary import skill_codes, skill_name


def team_from_row(row: TeamRow) -> Team:
    """Turn a ``teams`` row (with its members) into a :class:`Team`."""
    return Team(
        team_id=row.id,
        name=row.name,
        base_lon=row.base_lon,
        base_lat=row.base_lat,
        base_name=row.base_name or "",
        members=tuple(
            TeamMember(
                member_id=m.id,
                name=m.name,
                skills=skill_codes(m.skills or ()),
                hometown_county_code=m.hometown_county_code or "",
                hometown_town_code=m.hometown_town_code or "",
                former_postings=tuple(m.former_postings or ()),
                relations=tuple(m.relations or ()),
            )
            for m in sorted(row.members, key=lambda m: m.id)
        ),
        skills=skill_codes(row.skills or ()),
        shift_start_min=row.shift_start_min,
        shift_end_min=row.shift_end_min,
        break_earliest_min=row.break_earliest_min,
        break_latest_min=row.break_latest_min,
        break_min=row.break_min,
        available_dates=tuple(dt.date.fromisoformat(d) for d in (row.available_dates or ())),
        max_visits_per_day=row.max_visits_per_day,
        max_drive_min=row.max_drive_min,
    )


def load_teams(session: Session, *, active_only: bool = True, team_ids: tuple[str, ...] = ()) -> list[Team]:
    """Teams as domain objects, ordered by id.

    Parameters
    ----------
    session
        An open session.
    active_only
        Skip teams switched off in 设置.
    team_ids
        Only these teams (empty: all).
    """
    stmt = select(TeamRow).order_by(TeamRow.id)
    if active_only:
        stmt = stmt.where(TeamRow.active.is_(True))
    if team_ids:
        stmt = stmt.where(TeamRow.id.in_(team_ids))
    return [team_from_row(r) for r in session.scalars(stmt)]


#: The account roles that go out with a team (用户管理 assigns them to teams; they are not the team's member list).
_FIELD_ROLES = ("officer", "leader")


def team_accounts(session: Session, team_ids: tuple[str, ...] | list[str] | set[str]) -> dict[str, tuple[str, ...]]:
    """Per team, the display names (else user names) of the active officer and leader accounts assigned to it.

    The team's member list (检查组 page) and the accounts (用户管理) are kept apart; the team's people are both
    (:func:`team_people`): sheets name them, 回避 checks them.
    """
    wanted = set(team_ids)
    out: dict[str, list[str]] = {}
    if not wanted:
        return {}
    rows = session.scalars(select(UserRow).where(UserRow.active.is_(True), UserRow.role.in_(_FIELD_ROLES))
                           .order_by(UserRow.role.desc(), UserRow.username))  # officers, then leaders
    for user in rows:
        for team_id in user.team_ids or ():
            if team_id in wanted:
                out.setdefault(team_id, []).append((user.display_name or "").strip() or user.username)
    return {t: tuple(dict.fromkeys(names)) for t, names in out.items()}


#: The member id of a leader account on two or more teams (:func:`overseeing_leaders`): named on a team's sheets as
#: its 负责组长, not as one of its 成员 (:meth:`planner.field.model.Itinerary.members_text`).
OVERSEER = "leader:"


def overseeing_leaders(session: Session) -> set[str]:
    """The display names (else user names) of the active leader accounts assigned to two or more teams.

    Such an account is on each team for its rights (to plan, read and record the teams it leads), not as one of
    each crew: walk W8 read one 组长 as 成员 of 第一 and 第二检查组 on the same day, at stops far apart. A leader
    account on one team goes out with it and stays one of its members."""
    rows = session.scalars(select(UserRow).where(UserRow.active.is_(True), UserRow.role == "leader"))
    return {(u.display_name or "").strip() or u.username for u in rows if len(set(u.team_ids or ())) >= 2}


def is_account(member: TeamMember) -> bool:
    """A person on a team by an account (``account:NAME`` / ``leader:NAME``), not by its member list."""
    return member.member_id.startswith(("account:", OVERSEER))


def team_people(session: Session, teams: list[Team] | tuple[Team, ...]) -> dict[str, tuple[TeamMember, ...]]:
    """Who goes out with each of ``teams``: its named members (as given, else the team's members in the database
    now) and then its active officer and leader accounts (:func:`team_accounts`) whose names are not among them, as
    members named by display name (``account:NAME``; a leader account on two or more teams ``leader:NAME``,
    :func:`overseeing_leaders`). Account people already in a given list are read again as the accounts are now.

    Walk W29: a team that went out with its accounts only got one named member (陈明), and its officer and leader
    accounts — still on the team in 用户管理 — silently stopped being its people (行程单, 回避). Teams with nobody
    at all are left out."""
    named = {t.team_id: tuple(m for m in t.members if not is_account(m)) for t in teams}
    empty = [tid for tid, members in named.items() if not members]
    stored = {t.team_id: t.members for t in load_teams(session, active_only=False, team_ids=tuple(empty))} \
        if empty else {}
    accounts = team_accounts(session, [t.team_id for t in teams])
    overseers = overseeing_leaders(session) if accounts else set()
    out: dict[str, tuple[TeamMember, ...]] = {}
    for t in teams:
        own = named[t.team_id] or stored.get(t.team_id) or ()
        have = {"".join(m.name.split()) for m in own}
        people = (*own, *(TeamMember(member_id=f"{OVERSEER if name in overseers else 'account:'}{name}", name=name)
                          for name in accounts.get(t.team_id, ()) if "".join(name.split()) not in have))
        if people:
            out[t.team_id] = tuple(people)
    return out


def renamed(session: Session, teams: dict[str, Team]) -> dict[str, Team]:
    """``teams`` (a plan's, as saved) under the names the office gives them now (检查组 page): a plan keeps the name
    a team had when it was planned, and an officer read 第六检查组 after it became 第六检查组（东山线） (walk W6)."""
    names = {i: n for i, n in session.execute(select(TeamRow.id, TeamRow.name).where(TeamRow.id.in_(sorted(teams))))} \
        if teams else {}
    return {tid: dataclasses.replace(t, name=names[tid]) if names.get(tid) and names[tid] != t.name else t
            for tid, t in teams.items()}


def with_people(session: Session, teams: list[Team] | tuple[Team, ...]) -> list[Team]:
    """``teams`` with their officer and leader accounts among their members (:func:`team_people`), so that 回避 is
    checked against the people its field sheets name: a letter naming an officer of a team is not given to that
    team, whether or not the team also has named members (the accounts' ids read ``account:NAME``; a name is all an
    account says about a person)."""
    people = team_people(session, teams)
    return [dataclasses.replace(t, members=people[t.team_id]) if t.team_id in people else t for t in teams]


def teams_without_people(session: Session, teams: list[Team] | tuple[Team, ...]) -> list[Team]:
    """The teams with no members and no active officer or leader account: nobody the plan could name."""
    people = team_people(session, teams)
    return [t for t in teams if t.team_id not in people]


def team_version(session: Session, team_id: str) -> int:
    """The current version of a team row (for optimistic locking in forms)."""
    row = session.get(TeamRow, team_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {team_id!r} 的检查组 (no team {team_id!r})")
    return row.version


def save_team(session: Session, team: Team, *, expected_version: int | None = None, active: bool = True) -> None:
    """Insert or update a team and replace its members. The caller commits.

    Parameters
    ----------
    expected_version
        The version the user's form was loaded at; when the row has moved on since, the save is refused.

    Raises
    ------
    ConflictError
        When someone else saved the team after ``expected_version``.
    """
    row = session.get(TeamRow, team.team_id)
    if row is None:
        row = TeamRow(id=team.team_id)
        session.add(row)
    elif expected_version is not None and row.version != expected_version:
        raise ConflictError(
            f"检查组 {team.name!r} 已被他人修改（版本 {row.version}，你编辑的是版本 {expected_version}），"
            "请刷新后再保存"
        )
    row.name = team.name
    row.base_name = team.base_name
    row.base_lon = team.base_lon
    row.base_lat = team.base_lat
    row.skills = list(team.skills)
    row.shift_start_min = team.shift_start_min
    row.shift_end_min = team.shift_end_min
    row.break_earliest_min = team.break_earliest_min
    row.break_latest_min = team.break_latest_min
    row.break_min = team.break_min
    row.available_dates = [d.isoformat() for d in team.available_dates]
    row.max_visits_per_day = team.max_visits_per_day
    row.max_drive_min = team.max_drive_min
    row.active = active
    existing = {m.id: m for m in row.members}
    keep = []
    for m in team.members:
        mrow = existing.get(m.member_id) or TeamMemberRow(id=m.member_id)
        mrow.name = m.name
        mrow.skills = list(m.skills)
        mrow.hometown_county_code = m.hometown_county_code
        mrow.hometown_town_code = m.hometown_town_code
        mrow.former_postings = list(m.former_postings)
        mrow.relations = list(m.relations)
        keep.append(mrow)
    row.members = keep
    # Every save is a new version, even an unchanged one, so a form loaded before it is refused afterwards.
    flag_modified(row, "name")
    session.flush()


# Demo personnel: fictional officers. Skills name what a visit may require (forestry, finance, land, social, ...).
_DEFAULT_TEAMS: tuple[tuple[str, str, str, tuple[tuple[str, str, tuple[str, ...], str], ...]], ...] = (
    ("T1", "第一检查组", "350600", (("M11", "林建华", ("forestry", "land"), "350628"),
                                  ("M12", "陈思远", ("finance",), "350602"),
                                  ("M13", "黄雅琴", ("social",), "350623"))),
    ("T2", "第二检查组", "350600", (("M21", "王志强", ("finance", "audit"), "350627"),
                                  ("M22", "郑晓梅", ("land",), "350624"),
                                  ("M23", "吴国栋", ("engineering",), "350604"))),
    ("T3", "第三检查组", "350628", (("M31", "蔡明辉", ("forestry",), "350629"),
                                  ("M32", "李秀兰", ("social", "finance"), "350627"))),
    ("T4", "第四检查组", "350623", (("M41", "杨振宇", ("land", "engineering"), "350622"),
                                  ("M42", "许丽华", ("environment",), "350626"))),
    ("T5", "第五检查组", "350604", (("M51", "周文斌", ("finance", "social"), "350605"),
                                  ("M52", "曾婉婷", ("forestry", "environment"), "350603"))),
)


def demo_teams() -> list[Team]:
    """The five built-in teams as the demo shows them, with fictional members (and so fictional 回避).

    Two teams at the city commission office, three at county offices (平和, 漳浦, 龙海); bases come from
    ``geodata.bases()``. Only the demo loader saves these; everything else uses :func:`default_teams`.
    """
    import geodata

    bases = {("350600" if b.level == "city" else b.county_code): b for b in geodata.bases()}
    teams = []
    for team_id, name, base_code, members in _DEFAULT_TEAMS:
        base = bases.get(base_code)
        if base is None:
            raise NotFoundError(f"地理数据中没有代码为 {base_code!r} 的纪委监委驻地")
        teams.append(
            Team(
                team_id=team_id,
                name=name,
                base_lon=base.lon,
                base_lat=base.lat,
                base_name=base.name,
                members=tuple(
                    TeamMember(member_id=mid, name=mname, skills=skills, hometown_county_code=home)
                    for mid, mname, skills, home in members
                ),
            )
        )
    return teams


TEAMS_CSV_COLUMNS = ("id", "name", "depot_lon", "depot_lat", "shift_start", "shift_end", "break_earliest",
                     "break_latest", "break_min", "skills", "max_visits_per_day", "max_drive_min", "dates", "members",
                     "base_name")


def write_teams_csv(teams: list[Team], path) -> None:
    """Write teams in the planner's ``teams.csv`` format (UTF-8 with BOM).

    ``skills`` is the union of the team's and its members' skills, by their Chinese names (the file has no
    per-member skills; codes are accepted too when it is read back);
    ``members`` lists member ids, which is what 回避 exclusions in ``visits.csv`` refer to.
    """
    import csv
    from pathlib import Path

    from planner.domain import hhmm
    from planner.office.privacy import safe_row

    with Path(path).open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(TEAMS_CSV_COLUMNS)
        for t in teams:
            w.writerow(safe_row([
                t.team_id, t.name, f"{t.base_lon:.6f}", f"{t.base_lat:.6f}", hhmm(t.shift_start_min),
                hhmm(t.shift_end_min),
                hhmm(t.break_earliest_min) if t.break_earliest_min is not None else "",
                hhmm(t.break_latest_min) if t.break_latest_min is not None else "",
                t.break_min if t.has_break else 0,
                ";".join(skill_name(s) for s in sorted(t.all_skills())),
                t.max_visits_per_day or "", t.max_drive_min or "",
                ";".join(d.isoformat() for d in t.available_dates),
                ";".join(m.member_id for m in t.members), t.base_name,
            ]))


def default_teams() -> list[Team]:
    """The five built-in teams as an office starts with them: ids, names and real bases, no members.

    The demo's members are fictional; a real office must not plan with them (they would set 回避 for invented
    people), so ending the demo leaves these shells for the office to fill in on the 检查组 page, and every
    fallback that names the built-in teams gets them without members.
    """
    return [dataclasses.replace(t, members=()) for t in demo_teams()]


def demo_members() -> frozenset[TeamMember]:
    """The fictional members of the built-in demo teams, exactly as the demo loader saves them."""
    return frozenset(m for t in demo_teams() for m in t.members)


def ensure_team_shells(session: Session) -> int:
    """Save :func:`default_teams` (no members) when the database has no team at all; return how many were created.

    The caller commits.
    """
    if session.scalar(select(TeamRow.id).limit(1)) is not None:
        return 0
    shells = default_teams()
    for team in shells:
        save_team(session, team)
    return len(shells)


def ensure_default_teams(session: Session) -> list[Team]:
    """Create the default teams when the database has none; return the active teams. The caller commits.

    A demo install (no account yet) gets the demo teams with their fictional members; an office that has accounts
    gets the member-less shells (:func:`default_teams`).
    """
    teams = load_teams(session)
    if not teams and session.scalar(select(TeamRow.id).limit(1)) is None:
        if session.scalar(select(UserRow.id).limit(1)) is None:
            for team in demo_teams():
                save_team(session, team)
        else:
            ensure_team_shells(session)
        teams = load_teams(session)
    return teams


# --- the office's team editor (检查组 page) -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class TeamRecord:
    """A saved team with what the editor needs besides the domain object: switched on or off, and its version."""

    team: Team
    active: bool
    version: int


def team_records(session: Session, *, team_ids: tuple[str, ...] | None = None) -> list[TeamRecord]:
    """Every saved team (active or not), ordered by id; only ``team_ids`` when given (empty: none)."""
    stmt = select(TeamRow).order_by(TeamRow.id)
    if team_ids is not None:
        if not team_ids:
            return []
        stmt = stmt.where(TeamRow.id.in_(team_ids))
    return [TeamRecord(team_from_row(r), bool(r.active), int(r.version)) for r in session.scalars(stmt)]


def new_member_id() -> str:
    """A new member id: stable (saved with the member, referred to by 回避 exclusions), never shown to people."""
    import uuid

    return "m" + uuid.uuid4().hex[:11]


def checked_team(session: Session, team: Team) -> Team:
    """``team`` with ids for new members; refuses an empty name, a member without a name or an unknown county, and a
    member named twice."""
    import geodata

    if not team.name.strip():
        raise InputError(f"检查组 {team.team_id!r} 须有组名")
    if not (-180 <= team.base_lon <= 180 and -90 <= team.base_lat <= 90):
        raise InputError(f"检查组「{team.name}」的基地坐标不在经纬度范围内：{team.base_lon!r}, {team.base_lat!r}")
    members = []
    for i, m in enumerate(team.members, start=1):
        if not m.name.strip():
            raise InputError(f"检查组「{team.name}」第 {i} 位成员须有姓名")
        if m.hometown_county_code:
            geodata.county_by_code(m.hometown_county_code)  # GeodataError names a wrong code
        members.append(m if m.member_id else dataclasses.replace(m, member_id=new_member_id()))
    # Walk W12b: a name typed again in 新成员姓名 made the team 林志远、林志远 without a word.
    seen: set[str] = set()
    for m in members:
        if (key := "".join(m.name.split())) in seen:
            raise InputError(f"检查组「{team.name}」的成员「{m.name.strip()}」填了两次：请删去重复的一行"
                             "（两位同名的成员请在姓名后注明区别，如 林志远（二组））")
        seen.add(key)
    ids = [m.member_id for m in members]
    taken = session.scalars(
        select(TeamMemberRow.name).where(TeamMemberRow.id.in_(ids), TeamMemberRow.team_id != team.team_id)
    ).all()
    if taken or len(set(ids)) != len(ids):
        clash = "、".join(taken) or "本组"
        raise ConflictError(f"检查组「{team.name}」的成员编号与其他成员（{clash}）重复，请刷新后再保存")
    return dataclasses.replace(team, members=tuple(members))


#: Columns of the office's teams file, in Chinese (``planner.intake.plan_files`` reads them back).
OFFICE_TEAMS_COLUMNS = ("组号", "组名", "基地", "基地经度", "基地纬度", "上班时间", "下班时间", "午休最早", "午休最晚",
                        "午休分钟", "专长", "每日最多走访点", "每日最长车程", "出行日期", "成员")


def office_teams_csv(teams: list[Team]) -> bytes:
    """The teams as the office reads them (UTF-8 with BOM, Chinese columns, members by name, ``;`` between items).

    The file imports back (:func:`import_teams`) and is a teams.csv for ``python -m planner plan`` too. Members'
    own skills and hometowns are edited on the page, not in the file.
    """
    import csv
    import io

    from planner.domain import hhmm
    from planner.office.privacy import safe_row

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(OFFICE_TEAMS_COLUMNS)
    for t in teams:
        w.writerow(safe_row([
            t.team_id, t.name, t.base_name, f"{t.base_lon:.6f}", f"{t.base_lat:.6f}", hhmm(t.shift_start_min),
            hhmm(t.shift_end_min),
            hhmm(t.break_earliest_min) if t.break_earliest_min is not None else "",
            hhmm(t.break_latest_min) if t.break_latest_min is not None else "",
            t.break_min if t.has_break else 0,
            ";".join(skill_name(s) for s in t.skills), t.max_visits_per_day or "", t.max_drive_min or "",
            ";".join(d.isoformat() for d in t.available_dates), ";".join(m.name for m in t.members),
        ]))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
