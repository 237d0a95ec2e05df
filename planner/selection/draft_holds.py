"""选件: letters another planner's draft holds, and letters none of the chosen teams can do (walk W32).

A leader took the top 25 of 选件 for his team of 工程/环保; 13 of them needed 财务, 土地 or 民政社保. His draft plans
kept them as 已选件, and the leader whose team had 财务 no longer saw them at all: not in 选件, not in 另外加入, and
an uploaded visits.csv naming them was refused as a rights problem. A draft (草稿, not issued) is a working copy: its
letters stay candidates for other planners, said to be in that draft (:func:`in_others_drafts`); saving a plan that
routes them takes them from the draft (``planner.store.plan_claims.claim_cases``), whose owner reads so on opening
it. And 选件 says which letters the chosen teams lack the 专长 for (:func:`lacking_skills`), instead of choosing them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import Team
from planner.selection.labels import skill_names
from planner.selection.ranking import CATEGORY_SKILLS, skills_for_category
from planner.store.models import CaseRow, PlanCase, PlanRow, UserRow
from planner.store.plan_claims import live_routes


def lacking_skills(
    cases: Iterable[Any], teams: Sequence[Team], table: Mapping[str, tuple[str, ...]] = CATEGORY_SKILLS
) -> dict[str, tuple[str, ...]]:
    """The letters among ``cases`` (objects with ``case_no`` and ``category``) whose 专长 no team of ``teams`` has
    all of: case number -> the skills needed. Empty when no team of ``teams`` records any skill (then skills are
    not asked for, as when visits are built)."""
    if not teams or not any(t.all_skills() for t in teams):
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for case in cases:
        needs = skills_for_category(case.category or "", table)
        if needs and not any(set(needs) <= t.all_skills() for t in teams):
            out[str(case.case_no)] = tuple(needs)
    return out


def lacking_text(needs: tuple[str, ...]) -> str:
    """``需要财务专长，参加的检查组都不具备`` for :func:`lacking_skills`' value."""
    return f"需要{skill_names(needs)}专长，参加的检查组都不具备"


def in_others_drafts(
    session: Session, case_nos: Iterable[str], username: str, teams: Sequence[Team] = ()
) -> dict[str, str]:
    """The letters among ``case_nos`` that only drafts saved by accounts other than ``username`` route: case number
    -> ``在「蔡组长」的草稿 #2 中（长泰工程环保组，缺财务专长）`` — where, and why it may be taken: the draft's team
    lacks the letter's 专长 when it does (``teams`` give the teams' skills). A letter an issued or running plan, or
    the account's own draft, routes is not here (it is held: ``planner.store.plans.case_holders``)."""
    wanted = sorted({str(c) for c in case_nos})
    if not wanted:
        return {}
    rows = session.execute(
        live_routes(wanted, CaseRow.case_no, CaseRow.category, PlanRow.id, PlanRow.status, PlanRow.created_by,
                    PlanCase.team_id)
    ).all()
    held = {no for no, _c, _p, status, by, _t in rows if status != "draft" or (by or "") == username}
    by_team = {t.team_id: t for t in teams}
    found: dict[str, tuple[str, int, str, str]] = {}
    for no, category, pid, _status, by, team_id in rows:
        if no not in held and no not in found:
            found[no] = (by or "", int(pid), team_id, category or "")
    if not found:
        return {}
    names = dict(
        session.execute(
            select(UserRow.username, UserRow.display_name).where(
                UserRow.username.in_(sorted({f[0] for f in found.values()}))
            )
        ).all()
    )
    out: dict[str, str] = {}
    for no, (by, pid, team_id, category) in found.items():
        who = (names.get(by) or "").strip() or by or "系统"
        team = by_team.get(team_id)
        why = team.name if team is not None else team_id
        if team is not None and (team.all_skills() or any(t.all_skills() for t in teams)):
            needs = skills_for_category(category)
            if needs and not set(needs) <= team.all_skills():
                why += f"，缺{skill_names(tuple(s for s in needs if s not in team.all_skills()))}专长"
        out[no] = f"在「{who}」的草稿 #{pid} 中（{why}）"
    return out
