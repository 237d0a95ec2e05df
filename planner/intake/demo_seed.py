"""Seeding an empty database with the demo register, demo teams and a follow-up history (the app's default data)."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from planner.domain import Team, TeamMember
from planner.intake.demo import generate_letters, register_xlsx_bytes
from planner.office.clock import local_today

log = logging.getLogger(__name__)


#: Demo teams: (team id, name, base id in geodata.bases(), member names, skills).
_DEMO_TEAMS = (
    ("T1", "市纪委监委第五纪检监察室", "zz-city", ("林志强", "陈雅琴", "黄振南"), ("林业", "财务")),
    ("T2", "市纪委监委信访室", "zz-city", ("郑晓东", "许丽娟"), ("信访", "法律")),
    ("T3", "漳浦县纪委监委检查组", "zp", ("蔡文彬", "杨美玲", "洪德胜"), ("工程", "财务")),
    ("T4", "平和县纪委监委检查组", "ph", ("曾宝珠", "赖荣辉"), ("林业", "征地")),
    ("T5", "华安县纪委监委检查组", "ha", ("苏明辉", "庄淑贞"), ("扶贫", "法律")),
)


def demo_teams() -> list[Team]:
    """Five demo teams at the city commission office and three county commission offices."""
    import geodata

    bases = {b.base_id: b for b in geodata.bases()}
    teams = []
    for team_id, name, base_id, members, skills in _DEMO_TEAMS:
        base = bases[base_id]
        county = geodata.county_by_code(base.county_code)
        teams.append(Team(
            team_id=team_id, name=name, base_lon=base.lon, base_lat=base.lat, base_name=base.name,
            members=tuple(
                TeamMember(member_id=f"{team_id}-M{i + 1}", name=m, skills=(skills[i % len(skills)],),
                           hometown_county_code=county.code if i == 0 and base.level == "city" else "")
                for i, m in enumerate(members)
            ),
            skills=skills,
        ))
    return teams


def _team_rows(teams: Sequence[Team]) -> list:
    from planner.store.models import TeamMemberRow, TeamRow

    rows = []
    for t in teams:
        row = TeamRow(
            id=t.team_id, name=t.name, base_name=t.base_name, base_lon=t.base_lon, base_lat=t.base_lat,
            skills=list(t.skills), shift_start_min=t.shift_start_min, shift_end_min=t.shift_end_min,
            break_earliest_min=t.break_earliest_min, break_latest_min=t.break_latest_min, break_min=t.break_min,
            available_dates=[], max_visits_per_day=t.max_visits_per_day, max_drive_min=t.max_drive_min,
        )
        row.members = [
            TeamMemberRow(id=m.member_id, name=m.name, skills=list(m.skills),
                          hometown_county_code=m.hometown_county_code, hometown_town_code=m.hometown_town_code,
                          former_postings=list(m.former_postings), relations=list(m.relations))
            for m in t.members
        ]
        rows.append(row)
    return rows


def _ensure_teams(session) -> None:
    """The lead's default teams (planner.store.teams) when available, else this module's demo teams."""
    from planner.store.models import TeamRow

    try:
        from planner.store.teams import ensure_default_teams
    except ImportError:
        ensure_default_teams = None
    if ensure_default_teams is not None:
        ensure_default_teams(session)
    elif not session.execute(select(func.count()).select_from(TeamRow)).scalar_one():
        session.add_all(_team_rows(demo_teams()))


# Any 64-bit number unique to this lock; PostgreSQL serialises concurrent first starts on it.
_PG_LOCK_ID = 7_242_026_001


def _has_cases_or_accounts(conn) -> bool:
    """Cases exist, or an account does: once the office has an administrator the demo never comes back, even in
    a database the office emptied (it then sees the empty, guided start)."""
    from planner.store.models import CaseRow, UserRow

    return bool(conn.execute(select(func.count()).select_from(CaseRow)).scalar_one()
                or conn.execute(select(func.count()).select_from(UserRow)).scalar_one())


_DEMO_MEANING = Path(__file__).with_name("resources") / "demo_meaning.npz"
_DEMO_MEANING_OF = (7, 600)  # the register the shipped vectors are of (seed, letters)


def _store_demo_meaning(session) -> None:
    """Store the shipped meaning vectors of the demo letters (keys that match no letter are harmless)."""
    from planner.store.vectors import store_vectors

    if not _DEMO_MEANING.exists():
        return
    with np.load(_DEMO_MEANING) as got:
        store_vectors(session, [k.decode() for k in got["keys"]], got["vectors"])


def load_demo_if_empty(engine: Engine, *, seed: int = 7, letters: int = 600, with_meaning: bool = True) -> bool:
    """Fill an empty database (no cases and no accounts) with the demo register and demo teams.

    Safe when several processes start at once: the check and the import run in one transaction under a
    database lock (PostgreSQL advisory lock, SQLite ``BEGIN IMMEDIATE``); a loser sees the cases and does nothing.

    Parameters
    ----------
    engine
        A migrated engine.
    seed, letters
        Demo register parameters.
    with_meaning
        Store the demo letters' meaning vectors shipped with the package (``resources/demo_meaning.npz``, made by
        ``scripts/build_meaning_background.py``), so that the first 关联分析 need not encode them.

    Returns
    -------
    bool
        True when this call loaded the demo data, False when the database already held cases or accounts.
    """
    from planner.intake.register import import_register
    from planner.store.database import session_factory

    started = time.perf_counter()
    with engine.connect() as conn:
        if _has_cases_or_accounts(conn):
            return False
    data = register_xlsx_bytes(generate_letters(seed, letters))
    with engine.connect() as conn:
        try:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.begin()
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_ID})
            session = session_factory(engine)(bind=conn)
            if _has_cases_or_accounts(session):
                conn.rollback()
                return False
            import_register(session, data, filename="演示登记表（示例数据）.xlsx", who="demo")
            _ensure_teams(session)
            session.flush()
            # Outcomes, 双反馈, 澄清, 整改 and return visits, so that 回访跟踪 and 统计 show a working office.
            from planner.followup.demo_history import demo_history

            demo_history(session, today=local_today(), seed=seed)
            session.flush()
            if with_meaning and (seed, letters) == _DEMO_MEANING_OF:
                _store_demo_meaning(session)
            conn.commit()
        except (IntegrityError, OperationalError) as exc:
            # Another process won the race (or holds the write lock too long): its data is as good as ours.
            conn.rollback()
            log.info("demo data not loaded here: %s", type(exc).__name__)
            return False
    log.info("demo register loaded in %.1f s", time.perf_counter() - started)
    return True
