"""Walk (行程 on a phone, PDF and Excel the same): a letter naming a village the built-in table does not hold in its
town (漳浦县旧镇镇后江村) was imported with the right warning, but its stop read "1. 漳浦县旧镇镇" and its card
"信中只写到旧镇镇…到镇后问路": the officer was not told which village to ask for. A village of another town of the
county (东山县铜陵镇澳角村, 澳角村 being of 陈城镇) was not mentioned either, and its point (the county seat) was
called 铜陵镇's. The sheets now keep the village as written, say it was not found (and where the table has it) and
to ask for it on arrival; the bound stays the town's (or the county's)."""

from __future__ import annotations

import io
from dataclasses import replace
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import update

from planner.domain import Location
from planner.field import export_plan
from planner.field.day import day_view
from planner.field.model import build_itinerary, enrich_cases
from planner.places.estimates import estimate_words, written_village
from planner.places.letters import locate_letters
from planner.places.resolver import resolve
from planner.store.database import session_scope
from planner.store.models import CaseRow
from tests.office import _seed

UNLISTED, ELSEWHERE, TWO = "ZZ2026-0104", "ZZ2026-0105", "ZZ2026-0106"  # stops 3, 4 and 5 of T1 on the day
ADDRESSES = {UNLISTED: "漳浦县旧镇镇后江村", ELSEWHERE: "东山县铜陵镇澳角村", TWO: "龙海区角美镇东美"}


def _imported(engine):
    """Two of the seed's letters placed as the register import places these addresses; the plan as the sheets
    read it (the letters' details from the database)."""
    _seed.seed(engine)
    fields = locate_letters([SimpleNamespace(values={"address_text": a, "content": ""}) for a in ADDRESSES.values()])
    with session_scope(engine) as s:
        for no, address, loc in zip(ADDRESSES, ADDRESSES.values(), fields, strict=True):
            s.execute(update(CaseRow).where(CaseRow.case_no == no).values(address_text=address, **loc))
    doc = _seed.plan_doc()
    doc = replace(doc, cases={no: c for no, c in doc.cases.items() if no not in ADDRESSES})
    with session_scope(engine) as s:
        return enrich_cases(doc, s)


def test_the_import_note_is_read_back_as_the_village_written():
    w = written_village(resolve("漳浦县旧镇镇后江村").message)
    assert (w.name, w.town, w.found_in) == ("后江村", "旧镇镇", "")
    w = written_village(resolve("东山县铜陵镇澳角村").message)
    assert (w.name, w.town, w.found_in) == ("澳角村", "铜陵镇", "陈城镇")
    w = written_village(resolve("龙海区角美镇东美").message)
    assert (w.name, w.town, w.same_named) == ("东美", "角美镇", ("东美社区", "东美村"))
    for found in ("平和县山格镇土田村", "漳浦县旧镇镇", "平和县山格镇龙凤岗"):
        assert written_village(resolve(found).message) is None


def test_phone_itinerary_names_the_village_and_says_to_ask_for_it(engine):
    it = build_itinerary(_imported(engine), "T1", _seed.DAY)
    stops = {s.seq: s for s in it.stops}
    assert stops[3].place() == "漳浦县旧镇镇后江村（村表无此村，待核对）"
    assert stops[4].place() == "东山县铜陵镇澳角村（村表中属陈城镇，待核对）"
    view = {c.seq: c for c in day_view(it).stops}
    assert view[3].place == stops[3].place()
    unlisted = view[3].estimate
    assert "信中只写到" not in unlisted
    assert "信中写的后江村不在旧镇镇的村表中" in unlisted and "到镇后按村名后江村问路" in unlisted
    assert "实际地点可能在 62.6 km 内" in unlisted  # the town's bound: no closer than before
    elsewhere = view[4].estimate
    assert "信中写的澳角村不在铜陵镇的村表中（村表中澳角村属陈城镇）" in elsewhere
    assert "点为东山县政府驻地" in elsewhere and "点为铜陵镇" not in elsewhere  # the point is the county seat
    assert "按村名澳角村问路" in elsewhere and "实际地点可能在 20.8 km 内" in elsewhere
    # A name two places of the town share (角美镇“东美”): the letter did name one, it said "信中只写到角美镇".
    assert stops[5].place() == "龙海区角美镇东美（角美镇有东美社区、东美村，待核对）"
    two = view[5].estimate
    assert "信中只写到" not in two and "信中写的东美在角美镇有2处（东美社区、东美村）" in two
    assert "到镇后问明是东美社区还是东美村" in two and "实际地点可能在 48.6 km 内" in two
    timeline = [r.text for r in it.timeline() if r.kind == "stop"]
    assert "3. 漳浦县旧镇镇后江村（村表无此村，待核对）" in timeline


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "html"])
def test_exports_carry_the_village_written(engine, fmt):
    doc = _imported(engine)
    with session_scope(engine) as s:
        data = export_plan(doc, fmt, team_id="T1", date=_seed.DAY, session=s)
    if fmt == "xlsx":
        text = "\n".join(str(c.value) for ws in load_workbook(io.BytesIO(data)).worksheets
                         for r in ws.iter_rows() for c in r if c.value is not None)
    elif fmt == "pdf":
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\n", "")
    else:
        text = data.decode("utf-8")
    assert "漳浦县旧镇镇后江村（村表无此村，待核对）" in text
    assert "信中写的后江村不在旧镇镇的村表中" in text and "到镇后按村名后江村问路" in text
    assert "澳角村（村表中属陈城镇，待核对）" in text
    assert "信中只写到旧镇镇" not in text


def test_case_words_name_the_village_and_keep_the_towns_bound():
    r = resolve("诏安县南诏镇龙凤岗村")  # a GeoNames town: the bound is the town's (walk W35), not the seat's 3 km
    loc = Location(lon=r.lon, lat=r.lat, county=r.county, county_code=r.county_code, town=r.town,
                   town_code=r.town_code, precision=r.precision, point_source=r.coord_source,
                   precision_km=r.precision_km)
    words = estimate_words(loc, written_village(r.message))
    assert f"实际地点可能在 {r.precision_km:g} km 以内" in words and r.precision_km > 30 and "3 km" not in words
    assert "信中写的龙凤岗村不在南诏镇的村表中" in words and "按村名龙凤岗村问路" in words
    assert "信中只写到乡镇" not in words
