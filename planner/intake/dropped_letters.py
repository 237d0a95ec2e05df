"""Letters already imported that a register imported again does not contain: told, never deleted.

Walk W20: register_v2.xlsx left out ZZ2026-1140 and ZZ2026-1141 (one on issued plan #1, the officer's 下一站) and the
preview and result said only "新增 10 件，更新 8 件，未变 140 件". An import stays all-or-nothing and loses nothing; it
now says which stored letters the register lacks — only where that means something: a register of the next quarter
naturally lacks the last one's letters, so a stored letter counts only when its 收件日期 falls within the dates this
register covers, its number is written the way the register's are (ZZ2026-1140: letters, digits, the same marks; every
``自编-…`` number alike) and it came from this register. A letter on a live plan's route is said with its plan.

Which register a letter came from (walk W25: re-importing 云霄县….xlsx, a register without a number column, named six
诏安 letters as missing — every 自编 number is written alike, and two counties may well number alike too): the import
that last wrote the letter (``CaseRow.batch_id``; a letter imported again unchanged keeps its earlier import) is one of
this register's when this register holds most of that import's letters within its dates (more held than lacking).
That follows the register under any file name (register_v2.xlsx, 云霄县登记表（12月修订）.xlsx) and never takes in
another county's register — even one with the same file name, or one sharing a letter transferred between them. For
one sheet of a workbook of registers (``file.xlsx「云霄」``) the import must also be of that sheet. A letter no import
wrote (entered otherwise) counts by its numbering alone, never under a 自编 number. The range and the imports are
read before the register is written (an import rewriting most letters moves them to its own batch).

Public API
----------
``dropped_letters(session, rows, filename="") -> Dropped``
    What the register lacks (``rows``: its rows as read; the good ones give the range and the numbers).
``dropped_detail(session, preview) -> dict``
    The same for the import's audit entry (``{}`` when none).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.intake.numbered_later import renumbered
from planner.intake.rows import GENERATED_PREFIX
from planner.store.models import CaseRow, ImportBatch, PlanCase, PlanRow

#: Numbers named in a line; more are counted (the audit keeps them all).
SHOWN = 20
#: Plan states that still send someone out (as planner.store.moved_letters.LIVE_STATES).
_LIVE = ("draft", "issued", "approved", "in_progress")
_SHEET = re.compile(r"「([^「」]+)」$")


@dataclass(frozen=True, slots=True)
class Dropped:
    """The stored letters within ``first``–``last`` that the register does not contain."""

    first: dt.date | None = None
    last: dt.date | None = None
    case_nos: tuple[str, ...] = ()
    on_plans: tuple[tuple[str, str], ...] = ()  # (numbers, 在已下发的计划 #1 中) for letters on a plan's route

    def text(self) -> str:
        """``本表收件日期范围（2026-10-01 至 2026-11-30）内已导入、但本表没有的信访件 2 件：ZZ2026-1140、ZZ2026-1141
        （其中 ZZ2026-1141 在已下发的计划 #1 中，请核实是否撤件）……`` ("" when none)."""
        if not self.case_nos:
            return ""
        shown = "、".join(self.case_nos[:SHOWN]) + (f" 等（共 {len(self.case_nos)} 件）"
                                                   if len(self.case_nos) > SHOWN else "")
        plans = "；".join(f"{no} {where}" for no, where in self.on_plans)
        return (f"本表收件日期范围（{self.first} 至 {self.last}）内已导入、但本表没有的信访件 {len(self.case_nos)} 件："
                f"{shown}" + (f"（其中 {plans}，请核实是否撤件）" if plans else "")
                + "。导入不删除、不改动这些信访件；如已撤件或并件，请在系统中另行处理。")

    def detail(self) -> dict[str, object]:
        """For the audit entry: every number, the range and the plans."""
        if not self.case_nos:
            return {}
        return {"dropped": list(self.case_nos), "dropped_range": [str(self.first), str(self.last)],
                **({"dropped_on_plans": [list(p) for p in self.on_plans]} if self.on_plans else {})}


def _shape(case_no: str) -> str:
    """How a number is written: ZZ2026-1140 → ZZ9-9 (the digits' count left out); every 自编 number alike."""
    case_no = case_no.strip()
    return GENERATED_PREFIX if case_no.startswith(GENERATED_PREFIX) else re.sub(r"\d+", "9", case_no)


def _state(status: str) -> str:
    from planner.store.lifecycle import PlanStatus

    try:
        return PlanStatus(status).label
    except ValueError:
        return status


def _on_plans(session: Session, case_nos: Sequence[str]) -> list[tuple[str, str]]:
    """(numbers, where) for ``case_nos`` on a live plan's route (a stop the plan left unscheduled is not)."""
    from planner.errors import InputError
    from planner.routing.planio import plan_from_json

    plans = session.execute(select(PlanRow.id, PlanRow.status, CaseRow.case_no)
                            .join(PlanCase, PlanCase.plan_id == PlanRow.id)
                            .join(CaseRow, CaseRow.id == PlanCase.case_id)
                            .where(PlanRow.status.in_(_LIVE), CaseRow.case_no.in_(list(case_nos)))
                            .order_by(PlanRow.id)).all()
    docs: dict[int, object] = {}  # each plan's stored result read and parsed once, not once per letter
    for pid, result in session.execute(select(PlanRow.id, PlanRow.result)
                                       .where(PlanRow.id.in_({pid for pid, _s, _n in plans}))):
        try:
            docs[pid] = plan_from_json(result) if result else None
        except InputError:
            docs[pid] = None
    found: dict[str, list[str]] = {}
    for pid, status, no in plans:
        doc = docs.get(pid)
        if doc is None:
            continue
        routed = doc.plan.planned_visit_ids()
        if any(no in v.case_nos for vid, v in doc.visits.items() if vid in routed):
            found.setdefault(no, []).append(f"在{_state(status)}的计划 #{pid} 中")
    by_where: dict[str, list[str]] = {}  # ZZ2026-1140、ZZ2026-1141 在已下发的计划 #1 中: one plan said once
    for no in case_nos:
        if no in found:
            by_where.setdefault("、".join(found[no]), []).append(no)
    return [("、".join(nos), where) for where, nos in by_where.items()]


def dropped_letters(session: Session, rows: Iterable[object], filename: str = "") -> Dropped:
    """The stored letters this register lacks (see the module doc).

    Parameters
    ----------
    session
        Open session (read only).
    rows
        The register's rows as read (``ParsedRow``): the good ones give the 收件日期 range and the numbers' shapes;
        a number on any row (a refused one too) is not missing.
    filename
        The register's name; ``file.xlsx「云霄」`` (one sheet of a workbook) counts only letters from that sheet.
    """
    rows = list(rows)
    listed = {str(r.values.get("case_no") or "").strip() for r in rows} - {""}
    listed |= {old for old, _new in renumbered(rows).values()}  # a 自编 letter this register numbers now (H1)
    good = [r for r in rows if r.ok]
    dates = [d for r in good if isinstance(d := r.values.get("received_date"), dt.date)]
    shapes = {_shape(str(r.values.get("case_no") or "")) for r in good} - {""}
    if not dates or not shapes:
        return Dropped()
    first, last = min(dates), max(dates)
    stored = session.execute(
        select(CaseRow.case_no, CaseRow.batch_id, ImportBatch.filename)
        .outerjoin(ImportBatch, ImportBatch.id == CaseRow.batch_id)
        .where(CaseRow.received_date >= first, CaseRow.received_date <= last).order_by(CaseRow.case_no)).all()
    held: dict[int, int] = {}  # import -> its letters in this register's dates: held minus lacking
    for no, batch, _name in stored:
        if batch is not None:
            held[batch] = held.get(batch, 0) + (1 if no in listed else -1)
    sheet = _SHEET.search(filename or "")  # one register of several: the letters of that sheet only
    missing = tuple(no for no, batch, name in stored
                    if no not in listed and _shape(no) in shapes
                    and (held.get(batch, 0) > 0 and (not sheet or str(name or "").endswith(sheet.group(0)))
                         if batch is not None else not no.startswith(GENERATED_PREFIX)))
    if not missing:
        return Dropped(first, last)
    return Dropped(first, last, missing, tuple(_on_plans(session, missing)))


def dropped_detail(session: Session, preview: object) -> dict[str, object]:
    """:meth:`Dropped.detail` of ``preview`` (a ``RegisterPreview``) for the import's audit entry."""
    return dropped_letters(session, getattr(preview, "rows", ()), str(getattr(preview, "filename", ""))).detail()


def dropped_text(session: Session, previews: Iterable[object]) -> str:
    """:meth:`Dropped.text` of each register read, one paragraph each (every sheet of a workbook: walk W24 saw the
    letter a sheet lacked only after choosing that sheet to view, and 导入全部 imports them all)."""
    previews = list(previews)
    said = [(str(getattr(p, "filename", "")), dropped_letters(session, getattr(p, "rows", ()),
                                                                str(getattr(p, "filename", ""))).text())
            for p in previews]
    # Several sheets: each paragraph says whose (两县.xlsx「云霄」：本表…), not under the sheet viewed as its own.
    return "\n\n".join(f"{name}：{text}" if len(previews) > 1 else text for name, text in said if text)
