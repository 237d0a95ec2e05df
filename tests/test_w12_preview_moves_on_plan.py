"""导入's preview says which letters on a live plan the register would move, before 导入 is pressed (walk W12: the
preview said only "更新 1 件" for ZZ-XF-2026-0032 moved off its issued plan's place; the notice came after the import).

The preview tries the import in a transaction it rolls back and asks planner.store.moved_letters, as the notice after
the import does: nothing of the trial stays in the database.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

import openpyxl
from sqlalchemy import func, select, update

from planner.intake.plan_moves_preview import moves_before_import, moves_text
from planner.intake.register import import_register, read_register
from planner.store.database import session_scope
from planner.store.models import CaseHistory, CaseRow, ImportBatch
from planner.store.moved_letters import moved_by_import
from tests.office import _seed

MOVED, KEPT, NEW = "ZZ2026-0101", "ZZ2026-0104", "ZZ2026-0900"
TODAY = dt.date(2026, 12, 6)


def register() -> bytes:
    """The plan's first stop's letter at another county's village, its fourth stop's letter where it was planned and
    a new letter."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "信访人", "问题发生地", "反映内容"])
    ws.append([MOVED, "2026-10-20", "林某", "长泰区岩溪镇甘寨村", "反映村集体收取桉树砍伐保证金后拒不退还"])
    ws.append([KEPT, "2026-10-20", "陈某", "平和县南胜镇法华村", "反映低保评定优亲厚友"])
    ws.append([NEW, "2026-11-20", "黄某", "平和县小溪镇旧楼村", "反映征地补偿款未足额发放"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _state(engine) -> tuple:
    with session_scope(engine) as s:
        return (s.scalar(select(CaseRow.county).where(CaseRow.case_no == MOVED)),
                s.scalar(select(func.count()).select_from(CaseRow)), s.scalar(select(func.count()).select_from(
                    ImportBatch)), s.scalar(select(func.count()).select_from(CaseHistory)))


def test_the_preview_names_the_letter_its_places_plan_team_and_day_and_writes_nothing(engine, caplog) -> None:
    _seed.seed(engine)
    caplog.set_level(logging.INFO, logger="planner.intake.register")
    data = register()
    preview = read_register(data, filename="w12_v2.xlsx", today=TODAY)
    nos = [str(r.values["case_no"]) for r in preview.rows]
    moves = moves_before_import(engine, data, filename="w12_v2.xlsx", mapping=preview.mapping, case_nos=nos,
                                today=TODAY)
    # The seed's points are made up: KEPT's point moves to its village's as the import places it (said too) …
    assert [m.move.case_no for m in moves] == [MOVED, KEPT] and "仍在 平和县南胜镇法华村，点位将移动" in moves[1].line()
    with session_scope(engine) as s:  # … unless it is already there
        s.execute(update(CaseRow).where(CaseRow.case_no == KEPT).values(lon=moves[1].move.lon, lat=moves[1].move.lat))
    before = _state(engine)
    moves = moves_before_import(engine, data, filename="w12_v2.xlsx", mapping=preview.mapping, case_nos=nos,
                                today=TODAY)
    assert [m.move.case_no for m in moves] == [MOVED]
    text = moves_text(moves)
    assert f"{MOVED}：平和县山格镇隆庆村 → 长泰区岩溪镇甘寨村" in text
    assert re.search(r"计划 #\d+「十二月第一周」（已下发）", text) and "12月7日 第 1 站" in text
    assert _seed.plan_doc().teams["T1"].name in text
    assert "林某" not in text and "陈某" not in text
    assert _state(engine) == before  # the trial import was rolled back …
    assert "import " not in caplog.text  # … and is not logged as an import

    import_register(engine, data, filename="w12_v2.xlsx", today=TODAY)  # the import itself says the same letter
    with session_scope(engine) as s:
        assert MOVED in moved_by_import(s, [MOVED, KEPT, NEW]) and KEPT not in moved_by_import(s, [MOVED, KEPT, NEW])


def test_no_trial_when_no_letter_of_the_register_is_on_a_live_plan(engine) -> None:
    _seed.seed(engine, issued=True)
    data = register()
    preview = read_register(data, filename="w12_v2.xlsx", today=TODAY)
    assert moves_before_import(engine, data, filename="w12_v2.xlsx", mapping=preview.mapping,
                               case_nos=[NEW], today=TODAY) == []
    assert moves_text([]) == ""
