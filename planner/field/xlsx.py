"""Excel workbook of a whole plan: a summary sheet plus one print-ready sheet per team-day (Chinese headers)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.field.model import Itinerary, chain_firsts, chain_order
from planner.field.navlinks import nav_links
from planner.field.stop_state import settled
from planner.field.visit_times import sheet_rows, window_text
from planner.office.privacy import safe_cell

#: Day-sheet columns: (header, width in characters).
DAY_COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 6), ("到达", 8), ("开始", 8), ("结束", 8), ("地点", 26), ("案件编号", 14), ("案件摘要", 46),
    ("类别", 12), ("办理期限", 12), ("信访人", 16), ("车程(分钟)", 10), ("距离(km)", 9), ("高德导航", 30),
    ("约定时段", 14), ("结果登记时间", 14), ("走访结果", 14),
)
SUMMARY_COLUMNS: tuple[tuple[str, int], ...] = (
    ("检查组", 16), ("日期", 12), ("成员", 24), ("驻地", 20), ("出发", 8), ("返回", 8), ("走访点", 8),
    ("案件数", 8), ("里程(km)", 10), ("车程(小时)", 10), ("午休", 14),
)
#: What the 信访人 column says when the identity is not on this sheet (not exported, or none given).
WITHHELD = "已隐去"
HEADER_ROW = 4  # title, team line, blank, then the header row that repeats on every printed page

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_BREAK_FILL = PatternFill("solid", fgColor="FFF2CC")
_DONE_FILL = PatternFill("solid", fgColor="EEEEEE")


def sheet_title(it: Itinerary, taken: set[str]) -> str:
    """A unique Excel sheet name (≤31 chars, no ``[]:*?/\\``) such as ``第一检查组 12-07``."""
    base = re.sub(r"[\[\]:*?/\\']", "_", f"{it.team.name or it.team.team_id} {it.date.strftime('%m-%d')}")[:28]
    name, n = base, 2
    while name in taken:
        name, n = f"{base[:26]}~{n}", n + 1
    taken.add(name)
    return name


def _setup(ws: Worksheet, columns: Sequence[tuple[str, int]], title: str, info: str) -> None:
    ws["A1"] = safe_cell(title)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = safe_cell(info)
    for i, (head, width) in enumerate(columns, 1):
        cell = ws.cell(row=HEADER_ROW, column=i, value=head)
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"  # a string: ws.cell() would create a row and shift append()
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"


def _row(ws: Worksheet, values: Sequence[Any], *, fill: PatternFill | None = None) -> None:
    ws.append([safe_cell(v) for v in values])
    r = ws.max_row
    for c in range(1, len(values) + 1):
        cell = ws.cell(row=r, column=c)
        cell.border = _BORDER
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        if fill is not None:
            cell.fill = fill


def _day_sheet(ws: Worksheet, it: Itinerary) -> None:
    info = (
        f"成员：{it.members_text()}    驻地：{it.team.base_name}    出发 {it.depart}  返回 {it.return_}"
        + (f"    午休 {it.break_text()}" if it.has_break() else "")
        + (f"    {it.progress}" if it.progress else "")
    )
    _setup(ws, DAY_COLUMNS, it.title(), info)
    if it.notices:  # what re-plans changed of the day, in the row above the headers
        ws["A3"] = safe_cell("\n".join(it.notices))
        ws["A3"].font = Font(bold=True, color="C0392B")
        ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(DAY_COLUMNS))
        ws["A3"].alignment = Alignment(vertical="top", wrap_text=True)
        ws.row_dimensions[3].height = 16 * (len(it.notices) + 1)
    # In route order (planner.field.visit_times).
    for s in sheet_rows(it):
        if s is None:
            start, end = it.break_text().split("-")
            _row(ws, ["", start, start, end, "午休", *[""] * (len(DAY_COLUMNS) - 5)], fill=_BREAK_FILL)
        elif s.put_off:  # recorded 改期 on the day and moved off it since: no times of the day any more
            _row(ws, ["", "", "", "", f"{s.place()}\n【{s.put_off}】",
                      "\n".join(c.case_no for c in s.cases), "\n".join(c.summary for c in s.cases),
                      "\n".join(dict.fromkeys(c.category_text() for c in s.cases)), "", "", "", "", "", "",
                      s.recorded.text() if s.recorded else "", "已改期"],
                 fill=_DONE_FILL)
        else:
            _stop_row(ws, s)


def _stop_row(ws: Worksheet, s: Any) -> None:
    cases = chain_order(s.cases or ())
    firsts = chain_firsts(cases)  # a chain is said once, by its first letter; each later letter names it
    link = nav_links(s.lon, s.lat, s.name()).amap_web
    # Its planned times, recorded or not; the time window and when a result was recorded in their own columns (walk
    # W26: the recorded minute replaced the planned times, and the window was nowhere).
    _row(ws, [
        s.seq, s.arrive, s.start, s.end, s.place() + (f"\n【{note}】" if (note := s.estimate_text()) else ""),
        "\n".join(c.case_no for c in cases),
        "\n".join(c.summary + (f"【{c.confidential_text()}】" if c.confidential else "")
                  + (f"【重复件，随 {firsts[c.case_no]} 一并办结】" if c.case_no in firsts
                     else f"【{c.repeats_short()}】" if c.repeats else "")
                  + (f"【{c.systemic_text()}】" if c.systemic else "") for c in cases),
        "\n".join(dict.fromkeys(c.category_text() for c in cases)),
        # One line per letter, beside its number (walk G: a stop of two letters showed only the nearer deadline).
        "\n".join(c.deadline.isoformat() if c.deadline else "" for c in cases),
        # An empty cell would read as "no petitioner": say the identity is withheld from this sheet.
        "\n".join(c.petitioner_text() or WITHHELD for c in cases),
        round(s.stop.travel_s / 60), round(s.stop.distance_m / 1000, 1), link,
        window_text(s.visit), s.recorded.text() if s.recorded else "",
        s.outcome,  # as 行程 marks the stop once its outcome is recorded (已完成, 部分完成…, 已改期, 未找到…)
    ], fill=_DONE_FILL if settled(s.outcome) else None)  # a stop with letters still to visit is not greyed


def to_xlsx(items: Itinerary | Iterable[Itinerary], *, unassigned: Sequence[tuple[str, str, str]] = ()) -> bytes:
    """Render a whole plan (or one itinerary) as an Excel workbook.

    Parameters
    ----------
    items
        The itineraries, in the order their sheets should appear.
    unassigned
        ``(visit_id, place, reason)`` rows listed under the summary (未安排).

    Returns
    -------
    bytes
        The .xlsx file. Every text cell goes through :func:`planner.office.privacy.safe_cell` (no formula injection).
    """
    its = [items] if isinstance(items, Itinerary) else list(items)
    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    total_visits = sum(len(it.stops) for it in its)
    _setup(summary, SUMMARY_COLUMNS, "带信下访行程汇总", f"共 {len(its)} 条线路，{total_visits} 个走访点")
    taken = {"汇总"}
    for it in its:
        _row(summary, [
            it.team.name, it.date.isoformat(), it.members_text(), it.team.base_name, it.depart, it.return_,
            len(it.stops), sum(len(s.visit.case_nos) for s in it.stops), round(it.route.distance_m / 1000, 1),
            round(it.route.travel_s / 3600, 2), it.break_text(),
        ])
        _day_sheet(wb.create_sheet(sheet_title(it, taken)), it)
    if unassigned:
        summary.append([])
        summary.append([safe_cell("未安排的走访点")])
        summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
        for visit_id, place, reason in unassigned:
            _row(summary, [visit_id, place, reason])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
