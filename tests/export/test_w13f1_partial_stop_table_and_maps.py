"""Walk W13: a stop whose letters were recorded differently read 部分完成：已走访 1 · 改期 1 on 行程 and its files
(e121c60) but not on 路线规划's stop table, and both maps drew it like a stop put off (amber) or not at all. The
table says what 行程 says, computed by the same function; both maps give a partly done stop its own colour and
legend entry, its counts in the popup or tooltip, escaped."""

from __future__ import annotations

import datetime as dt
import json
import re

from planner.field import map_layers, render
from planner.field.day import day_view, save_stop_outcome, stop_records
from planner.field.recorded import plan_marks, stop_marks, with_outcomes
from planner.field.stop_state import STATE_STYLE
from planner.followup.put_off import stop_table
from planner.routing.report import route_rows
from planner.store.plans import load_plan
from tests.export.stop_steps import first_of_two_visited
from tests.export.test_day import MONDAY, OFFICER_T1, issued, plan_id, raw  # noqa: F401 (fixtures)

AGREED = dt.date(2028, 1, 5)
PARTLY = "部分完成：已走访 1 · 改期 1，约定 01-05"


def _partly_done(session, plan_id):  # noqa: F811
    """Monday's T1 stop of two letters: the first 已走访, the second 改期 to an agreed day; the day's itinerary."""
    day, it, two, second = first_of_two_visited(session, plan_id)
    save_stop_outcome(session, day, second, result="postponed", households=0, leads=0, findings="信访人周三在家",
                      who="li", actor=OFFICER_T1, put_off_to=AGREED)
    session.commit()
    return it, two


def test_the_plans_stop_table_says_partly_done_as_the_day_does(engine, session, plan_id, issued) -> None:  # noqa: F811
    it, two = _partly_done(session, plan_id)
    vid = two.visit.visit_id
    (sheet,) = with_outcomes([it], session, plan_id)
    said = {s.visit.visit_id: s.outcome for s in sheet.stops}[vid]
    assert said == PARTLY
    doc = load_plan(session, plan_id)
    before, _box = stop_table(session, doc, route_rows(doc))  # without 行程's marks: only the letter put off
    assert next(r["走访情况"] for r in before if r["编号"] == vid) != said
    rows, box = stop_table(session, doc, route_rows(doc), recorded=plan_marks(session, plan_id, today=MONDAY))
    marked = {r["编号"]: r["走访情况"] for r in rows if r["走访情况"]}
    assert marked == {vid: said}
    assert two.cases[1].case_no in box  # the box above still names the letter put off
    # A day not come yet has nothing recorded to say.
    assert plan_marks(session, plan_id, today=MONDAY - dt.timedelta(days=1)) == {}


def test_the_offline_map_colours_a_partly_done_stop_apart_with_a_legend(engine, session, plan_id, issued) -> None:  # noqa: F811
    it, two = _partly_done(session, plan_id)
    (sheet,) = with_outcomes([it], session, plan_id)
    html = render("html", sheet).decode("utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="xf-data">(.*?)</script>', html, re.S)[1])
    by_seq = {s["seq"]: s for s in data["stops"]}
    partly = by_seq[two.seq]
    assert partly["state"] == partly["kind"] == "partial"
    assert partly["lines"][0].endswith(f"（{PARTLY}）")  # the popup's first line, as text
    colours = {state: colour for state, _words, colour in data["legend"]}
    words = {state: w for state, w, _colour in data["legend"]}
    assert words["partial"] == "部分完成" and set(words) == {"partial", ""}  # the stops still to visit
    assert colours["partial"] not in (colours[""], STATE_STYLE["done"][1], STATE_STYLE["off"][1])
    assert f".xf-stop.xf-partial div{{background:{colours['partial']}}}" in html
    assert f'<li value="{two.seq}" data-seq="{two.seq}" class="partial">' in html


def test_the_in_app_map_colours_it_the_same_says_its_counts_and_escapes(engine, session, plan_id, issued) -> None:  # noqa: F811
    it, two = _partly_done(session, plan_id)
    doc = load_plan(session, plan_id)
    records = stop_records(session, [c.case_no for s in it.stops for c in s.cases], MONDAY, "T1")
    marks = stop_marks(it, day_view(it, recorded=records), records)
    assert marks[two.visit.visit_id] == PARTLY
    page = map_layers.route_map([it.route], doc.visits, doc.teams, marks=marks).get_root().render()
    (colour,) = re.findall(r'xf-stop xf-partial\\" style=\\"--c:(#\w+)', page)
    assert colour == STATE_STYLE["partial"][1] != STATE_STYLE["done"][1]
    waiting = set(re.findall(r'xf-stop xf-waiting\\" style=\\"--c:(#\w+)', page))
    assert waiting and colour not in waiting
    assert PARTLY in page  # the tooltip
    legend = json.loads(re.search(r", (\[\[.*?\]\])\);", page)[1])  # LEGEND_JS(map, entries)
    assert ["partial", "部分完成", colour] in legend
    # Without marks (路线规划's map of every route) the stops keep their route's colour and there is no legend.
    plain = map_layers.route_map([it.route], doc.visits, doc.teams).get_root().render()
    assert "xf-partial" not in plain and "xf-legend" not in plain.split("</style>")[-1]
    # A mark is text: escaped in the tooltip.
    odd = map_layers.route_map([it.route], doc.visits, doc.teams,
                               marks={two.visit.visit_id: "部分完成：<img src=x>"}).get_root().render()
    assert "&lt;img src=x&gt;" in odd and "<img src=x>" not in odd
