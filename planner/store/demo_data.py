"""Removing the built-in demo data when demo mode ends, so that no fictitious letter reaches the office's statistics.

What is demo data: the register imported by the demo loader (import batches by ``demo``), its cases and every row
that hangs off a case (found through the tables' foreign keys to ``cases``, so a new case table is never forgotten),
plans that visit a demo case or were made by the demo visitor, clusters holding a demo case, cluster decisions and
places made by the demo visitor, the fictional members of the built-in teams (from every team: nobody invented may
set 回避), and the demo marker setting. The built-in teams themselves stay as shells (ids, names, real bases, no
members) for the office to fill in; an install without any team gets them. Accounts, the audit log, the office's
settings and everything the office imported or edited stay.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from planner.store.models import (
    Base,
    CaseRow,
    ClusterDecision,
    ClusterMember,
    ClusterRow,
    ImportBatch,
    PlaceRow,
    PlanCase,
    PlanRow,
    RecordHistory,
    SettingRow,
    TextVectorRow,
)
from planner.store.teams import ensure_team_shells, save_team

#: Names the demo loader, its follow-up history and the password-less demo visitor write as "who".
DEMO_WHO = ("demo", "演示", "演示数据")
#: The setting the demo loader leaves (planner.office.security.DEMO_SETTING; repeated to keep store a leaf).
DEMO_SETTING = "demo_data"

#: Count keys in the order the page shows them, with their Chinese names.
COUNT_LABELS: dict[str, str] = {
    "cases": "信访件",
    "records": "办理记录（走访、反馈、澄清、整改、回访等）",
    "plans": "下访计划",
    "clusters": "关联分析结果",
    "imports": "导入批次",
    "places": "地点校准",
    "teams": "演示检查组",
    "members": "演示检查组的虚构成员",
}


def _chunks(ids: list, size: int = 500) -> Iterable[list]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _tables_referencing(target: Table) -> list[tuple[Table, str]]:
    """(table, column name) for every foreign key of the metadata that points at ``target``."""
    out = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is target and table is not target:
                out.append((table, fk.parent.name))
    return out


def _delete_where_in(session: Session, table: Table, column: str, ids: list) -> int:
    n = 0
    for part in _chunks(ids):
        n += session.execute(delete(table).where(table.c[column].in_(part))).rowcount or 0
    return n


def demo_case_ids(session: Session) -> list[int]:
    """Ids of the cases the demo loader imported (their current batch is a demo batch)."""
    batches = select(ImportBatch.id).where(ImportBatch.imported_by.in_(DEMO_WHO))
    return list(session.scalars(select(CaseRow.id).where(CaseRow.batch_id.in_(batches)).order_by(CaseRow.id)))


def _strip_demo_members(session: Session) -> int:
    """Remove the built-in teams' fictional members from every team (saved as a new version); return how many.

    A member the office edited (another name, skills or hometown) is the office's own and stays.
    """
    from planner.store.teams import demo_members, team_records

    fictional = demo_members()
    removed = 0
    for record in team_records(session):
        keep = tuple(m for m in record.team.members if m not in fictional)
        if len(keep) != len(record.team.members):
            removed += len(record.team.members) - len(keep)
            save_team(session, dataclasses.replace(record.team, members=keep), active=record.active)
    return removed


def demo_data_present(session: Session) -> bool:
    """True when the database still holds demo letters or the demo marker."""
    return bool(demo_case_ids(session)) or session.get(SettingRow, DEMO_SETTING) is not None


def _drop_unused_vectors(session: Session) -> int:
    """Delete the meaning vectors (``text_vectors``) of texts no remaining letter has: the demo letters' ones."""
    from planner.analysis.semantic import text_key

    kept = {text_key((title + "。" if title else "") + (content or ""))
            for title, content in session.execute(select(CaseRow.title, CaseRow.content))}
    gone = [k for k in session.scalars(select(TextVectorRow.key)) if k not in kept]
    return _delete_where_in(session, TextVectorRow.__table__, "key", gone)


def remove_demo_data(session: Session) -> dict[str, int]:
    """Delete the demo data (see the module docstring) in the caller's transaction; the caller commits.

    Returns
    -------
    dict[str, int]
        What was removed, by the keys of :data:`COUNT_LABELS`.
    """
    cases = demo_case_ids(session)
    case_table: Table = CaseRow.__table__
    plan_table: Table = PlanRow.__table__
    counts = dict.fromkeys(COUNT_LABELS, 0)

    plan_ids: set[int] = set(session.scalars(select(PlanRow.id).where(PlanRow.created_by.in_(DEMO_WHO))))
    cluster_ids: set[str] = set()
    for part in _chunks(cases):
        plan_ids.update(session.scalars(select(PlanCase.plan_id).where(PlanCase.case_id.in_(part))))
        cluster_ids.update(session.scalars(select(ClusterMember.cluster_id).where(ClusterMember.case_id.in_(part))))
    plans = sorted(plan_ids)

    # Plans first, with their per-plan rows (the visited cases, the plan's change history).
    _delete_where_in(session, PlanCase.__table__, "plan_id", plans)
    for part in _chunks(plans):
        counts["records"] += session.execute(
            delete(RecordHistory).where(RecordHistory.kind == "plan", RecordHistory.record_id.in_(part))
        ).rowcount or 0
    counts["plans"] = _delete_where_in(session, plan_table, "id", plans)

    # Every row that hangs off a demo case, in every table with a foreign key to cases.
    for table, column in _tables_referencing(case_table):
        if table.name in ("cluster_members", "plan_cases"):
            _delete_where_in(session, table, column, cases)
        else:
            counts["records"] += _delete_where_in(session, table, column, cases)
    counts["clusters"] = _delete_where_in(session, ClusterRow.__table__, "id", sorted(cluster_ids))
    counts["clusters"] += session.execute(delete(ClusterDecision).where(ClusterDecision.who.in_(DEMO_WHO))).rowcount
    counts["cases"] = _delete_where_in(session, case_table, "id", cases)
    if cases:
        _drop_unused_vectors(session)  # derived data, not counted: no user ever sees a vector

    batches = list(session.scalars(select(ImportBatch.id).where(ImportBatch.imported_by.in_(DEMO_WHO))))
    for table, column in _tables_referencing(ImportBatch.__table__):
        if table is not case_table:
            _delete_where_in(session, table, column, batches)
    counts["imports"] = _delete_where_in(session, ImportBatch.__table__, "id", batches)

    counts["places"] = session.execute(delete(PlaceRow).where(PlaceRow.created_by.in_(DEMO_WHO))).rowcount or 0
    # The built-in teams stay as shells the office can edit, so 用户管理, 选件 and 路线规划 name the same teams.
    counts["members"] = _strip_demo_members(session)
    ensure_team_shells(session)
    session.execute(delete(SettingRow).where(SettingRow.key == DEMO_SETTING))
    session.flush()
    session.expire_all()
    return counts


def removed_text(counts: dict[str, int]) -> str:
    """What was removed, in Chinese ("信访件 600 件，下访计划 2 条 …"; "无" when nothing), for the page and the log."""
    parts = [f"信访件 {n:,} 件" if k == "cases" else f"{COUNT_LABELS[k]} {n:,} 条"
             for k, n in counts.items() if n and k in COUNT_LABELS]
    return "，".join(parts) if parts else "无"
