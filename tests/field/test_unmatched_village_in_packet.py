"""The field packet (the zip a team takes out: its day's PDF, offline map, calendar, GPX/KML/GeoJSON, navigation
links and workbook) names a village the letter wrote but the table lacks in every file that names the stop, as
the phone's card does (漳浦县旧镇镇后江村（村表无此村，待核对）)."""

from __future__ import annotations

import io
import zipfile

from planner.field import export_plan
from planner.store.database import session_scope
from tests.field.test_unmatched_village_on_sheets import _imported
from tests.office import _seed

HEADING = "漳浦县旧镇镇后江村（村表无此村，待核对）"


def test_every_text_file_of_the_packet_names_the_village_written(engine):
    doc = _imported(engine)
    with session_scope(engine) as s:
        data = export_plan(doc, "zip", team_id="T1", date=_seed.DAY, session=s)
    files = zipfile.ZipFile(io.BytesIO(data))
    texts = {n: files.read(n).decode("utf-8") for n in files.namelist()
             if n.endswith((".html", ".ics", ".gpx", ".kml", ".geojson", ".txt"))}
    assert len(texts) == 6
    for name, text in texts.items():
        # ICS folds long lines and escapes commas; JSON may escape nothing here (ensure_ascii is off).
        flat = text.replace("\r\n ", "").replace("\\,", ",")
        assert HEADING in flat or HEADING.replace("，", "\\，") in flat, name
    nav = next(t for n, t in texts.items() if n.endswith("_导航链接.txt"))
    assert f"3. {HEADING}  到达" in nav
