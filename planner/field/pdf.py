"""PDF 行程单 (A4, print-ready) of one team-day, with an embedded Chinese font so it renders anywhere."""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import qrcode
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from planner.domain import FIVE_QUESTIONS
from planner.errors import XiafangError
from planner.field.model import Itinerary
from planner.field.navlinks import nav_links
from planner.field.visit_times import sheet_rows, window_text
from planner.office.privacy import escape_html

FONT_NAME = "XiafangCJK"
#: The CJK font comes from a PyPI package (WenQuanYi Micro Hei, TrueType outlines that ReportLab can subset
#: and embed); nothing is read from the system's font folders.
FONT_PACKAGE = "paperang_p2_fonts_cjk"
FONT_FILE = "fonts/wqy-microhei.ttc"

_INK = colors.HexColor("#1f4e79")
_GRID = colors.HexColor("#9aa5b1")
_BREAK = colors.HexColor("#fff2cc")
_NOTICE = colors.HexColor("#fdecea")
_ALERT = colors.HexColor("#c0392b")
_DONE = colors.HexColor("#eeeeee")


@lru_cache(maxsize=1)
def register_font() -> str:
    """Register the packaged CJK font with ReportLab once and return its name.

    Raises
    ------
    XiafangError
        When the font package is not installed (``pip install -r requirements.txt``).
    """
    try:
        path = resources.files(FONT_PACKAGE) / FONT_FILE
    except ModuleNotFoundError as exc:
        raise XiafangError(
            f"缺少字体包 {FONT_PACKAGE!r}，无法生成中文 PDF；请按 requirements.txt 安装"
        ) from exc
    with resources.as_file(path) as real:
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(real), subfontIndex=0))
    return FONT_NAME


def _styles() -> dict[str, ParagraphStyle]:
    f = register_font()
    base = ParagraphStyle("base", fontName=f, fontSize=9.5, leading=13, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=22, textColor=_INK),
        "head": ParagraphStyle("head", parent=base, fontSize=10.5, leading=15),
        "stop": ParagraphStyle("stop", parent=base, fontSize=12, leading=16, textColor=_INK),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5),
        "center": ParagraphStyle("center", parent=base, fontSize=7.5, leading=9, alignment=TA_CENTER),
    }


def _qr(url: str, size_mm: float = 26) -> Drawing:
    # qrcode builds the matrix; runs of dark modules become vector rectangles (sharp at any print size).
    q = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    q.add_data(url)
    q.make(fit=True)
    matrix = q.get_matrix()
    n = len(matrix)
    size = size_mm * mm
    cell = size / n
    d = Drawing(size, size)
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                d.add(Rect(start * cell, size - (r + 1) * cell, (c - start) * cell, cell,
                           fillColor=colors.black, strokeColor=None, strokeWidth=0))
            else:
                c += 1
    return d


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    # Paragraph parses a mini-markup: everything from the plan is escaped first.
    return Paragraph(escape_html(text).replace("\n", "<br/>"), style)


def _header(it: Itinerary, st: dict[str, ParagraphStyle], width: float) -> list:
    rows = [
        [_p("检查组", st["head"]), _p(it.team.name, st["head"]), _p("日期", st["head"]),
         _p(it.date.isoformat(), st["head"])],
        [_p("成员", st["head"]), _p(it.members_text() or "—", st["head"]), _p("驻地", st["head"]),
         _p(it.team.base_name or "—", st["head"])],
        [_p("出发", st["head"]), _p(it.depart, st["head"]), _p("返回", st["head"]), _p(it.return_, st["head"])],
        [_p("午休", st["head"]), _p(it.break_text() or "—", st["head"]), _p("走访点", st["head"]),
         _p(f"{len(it.stops)} 个，里程约 {it.route.distance_m / 1000:.1f} km", st["head"])],
    ]
    t = Table(rows, colWidths=[16 * mm, width / 2 - 16 * mm, 16 * mm, width / 2 - 16 * mm])
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#e8eef5")),
        ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#e8eef5")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    progress = [_p(it.progress, st["head"]), Spacer(1, 3 * mm)] if it.progress else []
    return [_p(f"带信下访行程单　{it.team.name}　{it.date.isoformat()}", st["title"]), Spacer(1, 3 * mm), t,
            Spacer(1, 4 * mm), *progress]


def _stop_block(it: Itinerary, s, st: dict[str, ParagraphStyle], width: float) -> KeepTogether:
    links = nav_links(s.lon, s.lat, s.name())
    # What its team recorded here on the day, as 行程 marks the stop (已完成, 已改期，约定 12-09, 未找到，已记录).
    left = [
        _p(f"{s.seq}．{s.place()}" + (f"（{s.outcome}）" if s.outcome else ""), st["stop"]),
        # Its planned time, its time window and when a result was recorded (planner.field.visit_times).
        _p(f"到达 {s.arrive}　走访 {s.start}-{s.end}" + (f"　{w}" if (w := window_text(s.visit)) else "")
           + f"　（{s.leg_text()}）" + (f"　{s.recorded.text()}" if s.recorded else "")
           + f"　类型：{s.visit.visit_type.label}", st["base"]),
    ]
    if note := s.estimate_text():
        left.append(_p(f"【{note}】", st["small"]))
    for c in s.cases:
        due = c.deadline.isoformat() if c.deadline else "—"
        line = f"【{c.case_no}】{c.summary}　类别：{c.category_text()}　办理期限：{due}"
        if c.petitioner_text():
            line += f"　信访人：{c.petitioner_text()}"
        left.append(_p(line, st["base"]))
        if c.confidential:
            left.append(_p(f"【保密】{c.confidential_text()}", st["base"]))
        if c.repeats:
            left.append(_p(c.repeats_text(), st["small"]))
        if c.systemic:  # the same matter in other counties, in counts only
            left.append(_p(c.systemic_text(), st["small"]))
    left.append(_p("访前五问：", st["base"]))
    left.extend(_p(f"□ {i}. {q}", st["small"]) for i, q in enumerate(FIVE_QUESTIONS, 1))
    qr_cell = [_qr(links.qr_target), _p("扫码高德导航", st["center"])]
    body = Table([[left, qr_cell]], colWidths=[width - 32 * mm, 32 * mm])
    body.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.8, _INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        *([("BACKGROUND", (0, 0), (0, 0), _DONE)] if s.outcome else []),  # recorded: greyed, the rest stand out
    ]))
    notes = Table([[_p("记录：", st["small"])], [""], [""], [""]], colWidths=[width],
                  rowHeights=[5 * mm] + [7 * mm] * 3)
    notes.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, _INK),
        ("LINEBELOW", (0, 1), (-1, -2), 0.3, _GRID),
    ]))
    return KeepTogether([body, notes, Spacer(1, 4 * mm)])


def _notices(it: Itinerary, st: dict[str, ParagraphStyle], width: float) -> list:
    """What re-plans changed of the day (计划已于 … 调整), above the stops: the sheet printed before says so no more."""
    if not it.notices:
        return []
    t = Table([[_p(n, st["head"])] for n in it.notices], colWidths=[width])
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), _NOTICE), ("BOX", (0, 0), (-1, -1), 0.8, _ALERT)]))
    return [t, Spacer(1, 4 * mm)]


def _put_off_block(s, st: dict[str, ParagraphStyle], width: float) -> KeepTogether:
    """A stop recorded 改期 on the day and moved off it since: where it was, its letters, where it went."""
    rows = [[_p(f"{s.place()}（{s.put_off}" + (f"，{s.recorded.text()}" if s.recorded else "") + "）", st["stop"])]]
    rows += [[_p(f"【{c.case_no}】{c.summary}　类别：{c.category_text()}", st["base"])] for c in s.cases]
    t = Table(rows, colWidths=[width])
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), _DONE), ("BOX", (0, 0), (-1, -1), 0.5, _GRID)]))
    return KeepTogether([t, Spacer(1, 4 * mm)])


def _break_row(it: Itinerary, st: dict[str, ParagraphStyle], width: float) -> Table:
    t = Table([[_p(f"午休　{it.break_text()}", st["head"])]], colWidths=[width])
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), _BREAK), ("BOX", (0, 0), (-1, -1), 0.5, _GRID)]))
    return KeepTogether([t, Spacer(1, 4 * mm)])


def to_pdf(items: Itinerary | Iterable[Itinerary]) -> bytes:
    """Render itineraries as an A4 PDF 行程单 (one or more team-days, each starting on a new page).

    Each stop shows arrival and service times, county/town/village, case summaries with their deadlines,
    the 访前五问 checklist, a QR code that opens Amap navigation (GCJ-02) and ruled space for notes;
    the lunch break appears on the leg where the plan put it.

    Returns
    -------
    bytes
        The PDF, with the CJK font subset embedded.
    """
    its = [items] if isinstance(items, Itinerary) else list(items)
    st = _styles()
    buf = io.BytesIO()
    title = its[0].title() if len(its) == 1 else "带信下访行程单"
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm, bottomMargin=16 * mm,
        title=title, author="Xiafang 下访", subject="带信下访行程单",
    )
    width = doc.width
    story: list = []
    for n, it in enumerate(its):
        if n:
            story.append(PageBreak())
        story.extend(_header(it, st, width))
        story.extend(_notices(it, st, width))
        # In route order; None: the lunch break.
        for s in sheet_rows(it):
            story.append(_break_row(it, st, width) if s is None else
                         _put_off_block(s, st, width) if s.put_off else _stop_block(it, s, st, width))
        story.append(_p(f"{it.return_} 返回{it.team.base_name or '驻地'}", st["head"]))

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT_NAME, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawCentredString(A4[0] / 2, 8 * mm, f"第 {document.page} 页　内部资料　注意保密")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
