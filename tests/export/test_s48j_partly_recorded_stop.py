"""Walk W15: a village stop of two letters, one recorded 已走访 and one not yet (新桥村, 仕渡村), read nothing on the
行程 Excel and the PDF. The stop reads 部分完成 (planner.field.stop_state: partly done), is not greyed as done, and
reads its result once the second letter is recorded."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from planner.field import render
from planner.field.day import save_stop_outcome
from planner.field.recorded import with_outcomes
from planner.field.stop_state import PARTIAL, settled, stop_state
from tests.export.stop_steps import first_of_two_visited
from tests.export.test_day import MONDAY, OFFICER_T1, issued, plan_id, raw  # noqa: F401 (fixtures)
from tests.export.test_privacy import _texts


def _flat(text: str) -> str:
    return text.replace("\n", "").replace(" ", "").replace("\r", "")


def test_a_partly_recorded_stop_reads_partly_done_on_the_excel_and_the_pdf(engine, session, plan_id, issued,  # noqa: F811
                                                                           raw) -> None:  # noqa: F811
    day, it, two, second = first_of_two_visited(session, plan_id)
    session.commit()
    (sheet,) = with_outcomes([it], session, plan_id)
    mark = {s.seq: s.outcome for s in sheet.stops}[two.seq]
    assert mark == "部分完成：已走访 1 · 待走访 1"
    assert stop_state(mark) == PARTIAL and not settled(mark)
    for fmt, name in (("pdf", "day.pdf"), ("xlsx", "day.xlsx")):
        assert "部分完成：已走访1·待走访1" in _flat(_texts(name, render(fmt, sheet))), fmt
    ws = load_workbook(io.BytesIO(render("xlsx", sheet))).worksheets[1]
    row = next(r for r in ws.iter_rows(min_row=5) if str(r[-1].value or "").startswith("部分完成"))
    assert row[0].fill.fgColor.rgb != "00EEEEEE"  # letters still to visit: not greyed as a stop done
    # The second letter recorded: the stop reads its result, greyed.
    save_stop_outcome(session, day, second, result="visited", households=1, leads=0, findings="已核实",
                      who="li", actor=OFFICER_T1)
    session.commit()
    (sheet,) = with_outcomes([it], session, plan_id)
    assert {s.seq: s.outcome for s in sheet.stops}[two.seq] == "已完成"
    for fmt, name in (("pdf", "day.pdf"), ("xlsx", "day.xlsx")):
        text = _flat(_texts(name, render(fmt, sheet)))
        assert "已完成" in text and "部分完成" not in text, fmt
