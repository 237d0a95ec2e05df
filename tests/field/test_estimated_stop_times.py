"""Walk finding M7: a stop whose point is an estimate (a town or county seat standing for the village) says on every
field sheet that the real place may be N km away and its arrival time is only a guide; a precise stop says nothing."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import update

from planner.field import export_plan
from planner.field.day import day_view
from planner.field.model import build_itinerary, enrich_cases, estimate_note
from planner.store.database import session_scope
from planner.store.models import CaseRow
from tests.office import _seed

NOTE = ("位置为估计：法华村的位置未入库，点为南胜镇驻地，到镇后按村名问路（乡镇无边界数据，按全县区范围计，"
        "实际地点可能在 24.4 km 内），到达时间仅供参考")


def _seat_for_one_stop(engine) -> None:
    """V03 (ZZ2026-0104) stands at its town seat, 24.4 km from where it may be; V04 at a seat 2 km off."""
    _seed.seed(engine)
    with session_scope(engine) as s:
        s.execute(update(CaseRow).where(CaseRow.case_no == "ZZ2026-0104")
                  .values(point_source="town_seat", precision_km=24.4))
        s.execute(update(CaseRow).where(CaseRow.case_no == "ZZ2026-0105")
                  .values(point_source="town_seat", precision_km=2.0))


def test_the_note_only_for_an_estimate_over_three_km() -> None:
    assert estimate_note(24.4) == "位置为估计（按全县区范围计，实际地点可能在 24.4 km 内），到达时间仅供参考"
    # Walk J: a bound wider than some counties told an officer nothing; the village and its town say what to do.
    assert estimate_note(24.4, village="法华村", town="南胜镇") == NOTE
    # Walk L: a letter naming only a town got no note at a 3-km GeoNames seat and "52.1 km" at an estimated one; the
    # place it means may be anywhere in the town either way.
    seat = estimate_note(3.0, town="山城镇")
    assert seat.startswith("位置为估计：信中只写到山城镇") and "山城镇内任何位置" in seat and "km" not in seat
    # Walk U: an estimated seat gets the same words and no radius either (48.6 km beside nothing on the next stop).
    rough = estimate_note(52.1, town="坂仔镇")
    assert "只定位到乡镇" in rough and "村未知" in rough and "km" not in rough
    assert estimate_note(3.0, village="法华村", town="南胜镇") == ""  # a village on a 3-km seat: no more to say
    assert estimate_note(66.0) == "位置为估计（按全县区范围计，实际地点可能在 66 km 内），到达时间仅供参考"
    assert estimate_note(2.0) == "" and estimate_note(None) == ""


def test_phone_day_says_the_times_of_an_estimated_stop_are_a_guide(engine) -> None:
    _seat_for_one_stop(engine)
    with session_scope(engine) as s:
        doc = enrich_cases(_seed.plan_doc(), s)
    view = day_view(build_itinerary(doc, "T1", _seed.DAY))
    notes = {c.seq: c.estimate for c in view.stops}
    assert notes[3] == NOTE
    assert [seq for seq, note in notes.items() if note] == [3]


def test_pdf_excel_calendar_and_offline_map_say_so(engine) -> None:
    _seat_for_one_stop(engine)
    doc = _seed.plan_doc()
    with session_scope(engine) as s:
        files = {fmt: export_plan(doc, fmt, team_id="T1", date=_seed.DAY, session=s)
                 for fmt in ("pdf", "xlsx", "ics", "html")}
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages).replace("\n", "")
    assert "位置为估计" in pdf and "24.4 km" in pdf and "仅供参考" in pdf
    cells = [str(c.value) for ws in load_workbook(io.BytesIO(files["xlsx"])).worksheets
             for r in ws.iter_rows() for c in r if c.value is not None]
    assert sum(NOTE in c for c in cells) == 1
    ics = files["ics"].decode("utf-8").replace("\r\n ", "")
    assert ics.count("位置为估计") == 1 and "24.4 km" in ics
    html = files["html"].decode("utf-8")
    assert NOTE in html  # the list and the map popup's lines
