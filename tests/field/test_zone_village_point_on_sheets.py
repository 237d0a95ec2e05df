"""Walk R: 大地村 is counted under 仙都镇 but sits on 福建土楼（华安）旅游区's point. The officer's sheets and the
map's ≈ marker name the point it is (as 案件地图 does since f5eb59d), not 仙都镇's seat, 25 km away."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from sqlalchemy import update

from planner.field.day import day_view
from planner.field.model import build_itinerary, enrich_cases, estimate_note
from planner.places.letters import locate_letters
from planner.store.database import session_scope
from planner.store.models import CaseRow
from tests.field.test_unmatched_village_on_sheets import UNLISTED
from tests.office import _seed

ZONE = "福建土楼（华安）旅游区"


def test_the_day_card_names_the_zone_s_point(engine):
    _seed.seed(engine)
    (loc,) = locate_letters([SimpleNamespace(values={"address_text": "华安县仙都镇大地村", "content": ""})])
    assert loc["town"] == "仙都镇" and loc["point_source"] == "unit_seat"
    with session_scope(engine) as s:
        s.execute(update(CaseRow).where(CaseRow.case_no == UNLISTED).values(address_text="华安县仙都镇大地村", **loc))
    doc = _seed.plan_doc()
    with session_scope(engine) as s:
        doc = enrich_cases(replace(doc, cases={n: c for n, c in doc.cases.items() if n != UNLISTED}), s)
    assert doc.cases[UNLISTED]["seat"] == ZONE
    stop = next(c for c in day_view(build_itinerary(doc, "T1", _seed.DAY)).stops if c.seq == 3)  # UNLISTED's stop
    assert f"点为{ZONE}驻地" in stop.estimate and "仙都镇驻地" not in stop.estimate


def test_a_village_note_names_the_seat_it_stands_on():
    got = estimate_note(46.6, village="大地村", town="仙都镇", seat=ZONE)
    assert got.startswith(f"位置为估计：大地村的位置未入库，点为{ZONE}驻地")
    assert "点为仙都镇驻地" in estimate_note(46.6, village="大地村", town="仙都镇")
