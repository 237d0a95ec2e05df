"""Hostile letter text and petitioner identity through every format: escaped, neutralised, masked."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
import zipfile

import gpxpy
import openpyxl
import pytest
from icalendar import Calendar
from pypdf import PdfReader

from planner.domain import Petitioner
from planner.errors import InputError
from planner.field import build_itinerary, render
from tests.export.conftest import HOSTILE_FORMULA, HOSTILE_SCRIPT

PEOPLE = {
    "ZZ2026-0201": Petitioner("张三丰", "13812341234", "350628199001011234"),
    "ZZ2026-0202": Petitioner("欧阳娜娜", "0596-6221234", "35062819900101123X"),
}
SECRETS = ("张三丰", "13812341234", "350628199001011234", "欧阳娜娜", "6221234", "35062819900101123X")


def _texts(name: str, data: bytes) -> str:
    """All readable text of one exported file, through each format's own reader."""
    if name.endswith(".pdf"):
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    if name.endswith(".xlsx"):
        wb = openpyxl.load_workbook(io.BytesIO(data))
        return "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    if name.endswith(".zip"):
        z = zipfile.ZipFile(io.BytesIO(data))
        return "\n".join(_texts(n, z.read(n)) for n in z.namelist())
    return data.decode("utf-8")


def test_html_escapes_letter_text(hostile_day):
    page = render("html", hostile_day).decode("utf-8")
    assert HOSTILE_SCRIPT not in page
    assert "<b>不公</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    # The JSON for the map popups cannot close its <script> element either.
    data_block = page.split('id="xf-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_block
    assert HOSTILE_SCRIPT in json.loads(data_block)["stops"][0]["lines"][2]


def test_xlsx_neutralises_formulas(hostile_day):
    wb = openpyxl.load_workbook(io.BytesIO(render("xlsx", hostile_day)))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + HOSTILE_FORMULA in values
    assert not [v for v in values if v[:1] in "=+-@"]


def test_kml_description_is_html_escaped_for_viewers(hostile_day):
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.fromstring(render("kml", hostile_day))
    descs = [d.text or "" for d in root.iter("{http://www.opengis.net/kml/2.2}description")]
    assert not [d for d in descs if "<script" in d]
    assert any("&lt;script&gt;" in d for d in descs)
    assert root.find(".//k:Placemark", ns) is not None


def test_pdf_shows_markup_as_text(hostile_day):
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render("pdf", hostile_day))).pages)
    assert "<b>不公</b>" in text.replace(" ", "")  # printed literally, not interpreted as bold markup
    assert "alert" in text


def test_text_formats_round_trip_hostile_text_unchanged(hostile_day):
    ev = Calendar.from_ical(render("ics", hostile_day)).walk("VEVENT")[0]
    assert HOSTILE_SCRIPT in str(ev["description"])
    g = gpxpy.parse(render("gpx", hostile_day).decode("utf-8"))
    assert HOSTILE_SCRIPT in g.waypoints[1].description
    fc = json.loads(render("geojson", hostile_day))
    assert HOSTILE_SCRIPT in fc["features"][1]["properties"]["summary"]


@pytest.mark.parametrize("fmt", ["pdf", "html", "ics", "gpx", "kml", "geojson", "xlsx", "zip"])
def test_identity_masked_by_default_in_every_format(doc, fmt):
    it = build_itinerary(doc, "T2", "2026-12-07", petitioners=PEOPLE)
    text = _texts(f"x.{fmt}", render(fmt, it))
    leaked = [s for s in SECRETS if s in text]
    assert not leaked
    if fmt in ("pdf", "html", "xlsx", "zip"):
        assert "张**" in text and "138****1234" in text


def test_unmask_needs_a_reason(doc, session):
    security = pytest.importorskip("planner.office.security")
    admin = security.Actor(username="boss", role="admin", can_unmask=True)
    with pytest.raises(InputError, match="须填写理由"):
        build_itinerary(doc, "T2", "2026-12-07", petitioners=PEOPLE, actor=admin, unmask=True, reason=" 看 ",
                        session=session)


def test_unmask_needs_a_session_for_the_audit_log(doc):
    security = pytest.importorskip("planner.office.security")
    admin = security.Actor(username="boss", role="admin", can_unmask=True)
    with pytest.raises(InputError, match="数据库会话"):
        build_itinerary(doc, "T2", "2026-12-07", petitioners=PEOPLE, actor=admin, unmask=True, reason="核实身份")


def test_unmask_allowed_is_logged_and_never_shows_id_numbers(doc, session):
    security = pytest.importorskip("planner.office.security")
    pytest.importorskip("planner.office.audit")
    from sqlalchemy import select

    from planner.store.models import AuditRow

    admin = security.Actor(username="boss", role="admin", can_unmask=True)
    it = build_itinerary(doc, "T2", "2026-12-07", petitioners=PEOPLE, actor=admin, unmask=True,
                         reason="组长需联系信访人", session=session)
    text = render("html", it).decode("utf-8")
    assert "张三丰" in text and "13812341234" in text
    assert "350628199001011234" not in text
    rows = session.execute(select(AuditRow)).scalars().all()
    assert [(r.username, r.action) for r in rows] == [("boss", "export_unmasked")]
    assert set(rows[0].case_nos) == {"ZZ2026-0201", "ZZ2026-0202"}


def test_kml_escapes_member_and_base_names(doc):
    from dataclasses import replace

    from planner.domain import TeamMember

    it = build_itinerary(doc, "T1", "2026-12-08")
    team = replace(it.team, members=(TeamMember("m9", '<img src=x onerror="alert(1)">'),), base_name="<b>驻地</b>")
    root = ET.fromstring(render("kml", replace(it, team=team)))
    descs = [d.text or "" for d in root.iter("{http://www.opengis.net/kml/2.2}description")]
    assert not [d for d in descs if "<img" in d or "<b>" in d]
    assert any("&lt;img src=x" in d for d in descs)
