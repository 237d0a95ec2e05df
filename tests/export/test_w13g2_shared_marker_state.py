"""Walk W13: a 部分完成 stop sharing its point (one marker) with a stop still to visit stayed red on the offline map
and the in-app map, and the legend listed only 未走访. The shared marker now shows the stop partly done and the legend
lists every state shown."""

from __future__ import annotations

import dataclasses
import json
import re

from planner.field import map_layers, render
from planner.field.day import day_view, stop_records
from planner.field.recorded import stop_marks, with_outcomes
from planner.field.stop_state import DONE, OFF, PARTIAL, STATE_STYLE, WAITING, group_state
from planner.store.plans import load_plan
from tests.export.test_day import MONDAY, issued, plan_id, raw  # noqa: F401 (fixtures)
from tests.export.test_w13f1_partial_stop_table_and_maps import _partly_done


def test_a_marker_with_a_stop_met_is_not_drawn_as_waiting() -> None:
    assert group_state([PARTIAL, WAITING]) == PARTIAL
    assert group_state([DONE, WAITING]) == PARTIAL  # some letters met, others still to see
    assert group_state([DONE, DONE]) == DONE
    assert group_state([OFF, WAITING]) == WAITING and group_state([OFF, OFF]) == OFF


def _shared(it, two):
    """``it`` with another stop moved onto ``two``'s point (one marker for both): that stop."""
    other = next(s for s in it.stops if s.seq != two.seq and not s.outcome)
    moved = dataclasses.replace(other, visit=dataclasses.replace(other.visit, lon=two.lon, lat=two.lat))
    return dataclasses.replace(it, stops=tuple(moved if s.seq == other.seq else s for s in it.stops)), other


def test_the_offline_maps_shared_marker_shows_the_stop_partly_done(engine, session, plan_id, issued) -> None:  # noqa: F811
    it, two = _partly_done(session, plan_id)
    (sheet,) = with_outcomes([it], session, plan_id)
    sheet, other = _shared(sheet, two)
    html = render("html", sheet).decode("utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="xf-data">(.*?)</script>', html, re.S)[1])
    by_seq = {s["seq"]: s for s in data["stops"]}
    assert by_seq[other.seq]["state"] == WAITING and by_seq[two.seq]["state"] == PARTIAL
    assert by_seq[two.seq]["kind"] == by_seq[other.seq]["kind"] == PARTIAL
    shown = {s["kind"] for s in data["stops"]} | {s["state"] for s in data["stops"]}
    assert {state for state, _w, _c in data["legend"]} == shown


def test_the_in_app_maps_shared_marker_shows_it_too(engine, session, plan_id, issued) -> None:  # noqa: F811
    it, two = _partly_done(session, plan_id)
    doc = load_plan(session, plan_id)
    records = stop_records(session, [c.case_no for s in it.stops for c in s.cases], MONDAY, "T1")
    marks = stop_marks(it, day_view(it, recorded=records), records)
    other = next(s for s in it.stops if s.seq != two.seq and not marks[s.visit.visit_id])
    here = doc.visits[two.visit.visit_id]
    visits = {**doc.visits, other.visit.visit_id: dataclasses.replace(doc.visits[other.visit.visit_id],
                                                                       lon=here.lon, lat=here.lat)}
    page = map_layers.route_map([it.route], visits, doc.teams, marks=marks).get_root().render()
    kinds = re.findall(r'xf-stop xf-(\w+)\\" style=\\"--c:#\w+;width', page)  # the one wide (shared) marker
    assert kinds == [PARTIAL]
    legend = json.loads(re.search(r", (\[\[.*?\]\])\);", page)[1])
    assert [PARTIAL, *STATE_STYLE[PARTIAL]] in legend


def test_the_offline_legend_names_a_done_stop_inside_a_partly_done_marker(engine, session, plan_id, issued) -> None:  # noqa: F811
    it, two = _partly_done(session, plan_id)
    (sheet,) = with_outcomes([it], session, plan_id)
    sheet, other = _shared(sheet, two)
    sheet = dataclasses.replace(sheet, stops=tuple(dataclasses.replace(s, outcome="已完成") if s.seq == other.seq
                                                   else s for s in sheet.stops))
    html = render("html", sheet).decode("utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="xf-data">(.*?)</script>', html, re.S)[1])
    assert {s["kind"] for s in data["stops"] if s["seq"] in (two.seq, other.seq)} == {PARTIAL}
    assert f'data-seq="{other.seq}" class="{DONE}"' in html  # the list shows it done
    assert DONE in {state for state, _w, _c in data["legend"]}
