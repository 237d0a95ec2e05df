"""What the stored 关联分析 tells the people handling a letter about the matter it belongs to, in counts only.

A field officer sees the letters on their own plan, not the other teams' letters, petitioners or itineraries: a
letter of a systemic matter (the same issue in several counties, ``ClusterRow.systemic``) is told as how many other
counties and how many letters share it, never which letters or who wrote them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.store.models import CaseRow, ClusterMember, ClusterRow


def systemic_note(other_counties: int, letters: int) -> str:
    """``同类问题另见 3 个县区，共 12 件（跨县系统性问题）``: what a visit card and a field sheet say of a letter whose
    matter is systemic; ``跨县系统性问题，共 12 件`` when no other county is known (its counties had no code)."""
    if other_counties > 0:
        return f"同类问题另见 {other_counties} 个县区，共 {letters} 件（跨县系统性问题）"
    return f"同类问题共 {letters} 件（跨县系统性问题）"


def systemic_notes(session: Session, case_nos: Iterable[str]) -> dict[str, str]:
    """The letters among ``case_nos`` that belong to a systemic matter of the stored 关联分析, with
    :func:`systemic_note` (how many other counties, how many letters in all).

    Only counts leave this function: it is called for letters an actor may see, and tells them nothing of the other
    letters of the matter beyond their number and the number of their counties.

    Parameters
    ----------
    session
        Open session.
    case_nos
        The letters of interest (a plan's, a day's).

    Returns
    -------
    dict[str, str]
        ``case_no -> note``; letters of no systemic matter (or never analysed) are left out.
    """
    wanted = set(case_nos)
    if not wanted:
        return {}
    mine = session.execute(
        select(CaseRow.case_no, ClusterMember.cluster_id)
        .join(ClusterMember, ClusterMember.case_id == CaseRow.id)
        .join(ClusterRow, ClusterRow.id == ClusterMember.cluster_id)
        .where(CaseRow.case_no.in_(sorted(wanted)), ClusterRow.kind == "issue", ClusterRow.systemic.is_(True))
    ).all()
    if not mine:
        return {}
    groups = sorted({cid for _no, cid in mine})
    counties: dict[str, dict[str, str]] = defaultdict(dict)  # matter -> letter -> its county (code, else name)
    for cid, no, code, name in session.execute(
        select(ClusterMember.cluster_id, CaseRow.case_no, CaseRow.county_code, CaseRow.county)
        .join(CaseRow, CaseRow.id == ClusterMember.case_id)
        .where(ClusterMember.cluster_id.in_(groups))
    ):
        counties[cid][no] = (code or name or "").strip()
    out = {}
    for no, cid in mine:
        letters = counties[cid]
        own = letters.get(no, "")
        others = {c for c in letters.values() if c and c != own}
        out[no] = systemic_note(len(others), len(letters))
    return out
