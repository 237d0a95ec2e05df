"""The itinerary view of a plan: order, times, lunch break placement, case details, masking."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from planner.domain import Petitioner, parse_hhmm
from planner.errors import InputError, NotFoundError
from planner.field import build_itinerary, itineraries, load_document
from tests.export.conftest import expected_route


def test_stops_follow_the_plan_order_and_times(day, raw_plan):
    r = expected_route(raw_plan, "T1", "2026-12-07")
    assert [s.visit.visit_id for s in day.stops] == [s["visit"] for s in r["stops"]]
    assert [(s.arrive, s.start, s.end) for s in day.stops] == [(s["arrive"], s["start"], s["end"]) for s in r["stops"]]
    assert [s.seq for s in day.stops] == list(range(1, 7))
    assert (day.depart, day.return_) == (r["depart"], r["return"])


def test_break_sits_on_the_leg_where_the_plan_put_it(day, raw_plan):
    r = expected_route(raw_plan, "T1", "2026-12-07")
    assert day.break_text() == f"{r['break']['start']}-{r['break']['end']}"
    flagged = [s.seq for s in day.stops if s.break_before]
    assert flagged == [4]
    # OR-Tools semantics: arrival = end of previous visit + travel + break.
    s3, s4 = day.stops[2], day.stops[3]
    brk = parse_hhmm(r["break"]["end"]) - parse_hhmm(r["break"]["start"])
    assert s4.stop.arrive_min >= s3.stop.end_min + brk


def test_timeline_is_in_time_order_with_break_between_stops(day):
    rows = day.timeline()
    kinds = [r.kind for r in rows]
    assert kinds[0] == "depart" and kinds[-1] == "return"
    starts = [parse_hhmm(r.start) for r in rows]
    assert starts == sorted(starts)
    i = kinds.index("break")
    assert [r.seq for r in rows[:i] if r.kind == "stop"] == [1, 2, 3]


def test_place_and_case_details_come_from_cases(day, raw_plan):
    first = day.stops[0]
    case = raw_plan["cases"][first.visit.case_nos[0]]
    assert first.place() == case["county"] + case["town"] + case["village"]
    assert first.cases[0].summary == case["summary"]
    assert first.earliest_deadline() == dt.date.fromisoformat(case["deadline"])
    two = day.stops[1]
    assert len(two.cases) == 2 and two.earliest_deadline() == dt.date(2026, 12, 25)


def test_all_days_sorted_by_date_then_team(all_days):
    assert [(it.date.isoformat(), it.team.team_id) for it in all_days] == [
        ("2026-12-07", "T1"), ("2026-12-07", "T2"), ("2026-12-08", "T1")]


@pytest.mark.parametrize(("team", "date"), [("T9", "2026-12-07"), ("T1", "2026-12-09")])
def test_missing_route_names_team_and_date(doc, team, date):
    with pytest.raises(NotFoundError, match=team):
        build_itinerary(doc, team, date)


def test_bad_date_is_an_input_error(doc):
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        build_itinerary(doc, "T1", "07/12/2026")


def test_filter_without_match_raises(doc):
    with pytest.raises(NotFoundError):
        itineraries(doc, team_id="T2", date="2026-12-08")


def test_bad_json_file_names_the_file(tmp_path):
    p = tmp_path / "broken.json"
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.json"):
        load_document(p)


def test_petitioners_are_masked_by_default(doc):
    people = {"ZZ2026-0101": Petitioner("张三丰", "13812341234", "350628199001011234")}
    it = build_itinerary(doc, "T1", "2026-12-07", petitioners=people)
    c = it.stops[0].cases[0]
    assert c.petitioner_text() == "张** 138****1234"
    assert not it.unmasked
    assert "350628" not in repr(it)


def test_unmask_without_permission_is_refused(doc):
    security = pytest.importorskip("planner.office.security")
    from planner.errors import PermissionDenied

    officer = security.Actor(username="li", role="officer")
    people = {"ZZ2026-0101": Petitioner("张三丰", "13812341234")}
    with pytest.raises(PermissionDenied):
        build_itinerary(doc, "T1", "2026-12-07", petitioners=people, actor=officer, unmask=True)


def _one_stop_plan(raw_plan, brk, stop_times):
    d = json.loads(json.dumps(raw_plan))
    r = next(r for r in d["routes"] if r["team"] == "T1" and r["date"] == "2026-12-08")
    r["break"] = brk
    r["stops"][0].update(stop_times)
    r["return"] = "13:00"
    return load_document(d)


@pytest.mark.parametrize(
    ("brk", "stop", "leg", "order"),
    [
        # Break on the first leg: the car leaves the base, breaks on the way, then arrives.
        ({"start": "08:30", "end": "10:00"}, {"arrive": "10:01", "start": "10:01", "end": "10:31"}, 0,
         ["depart", "travel", "break", "stop", "return"]),
        # Break while waiting for a time window that opens at 13:00.
        ({"start": "11:30", "end": "13:00"}, {"arrive": "09:00", "start": "13:00", "end": "13:30"}, 0,
         ["depart", "travel", "break", "stop", "return"]),
        # Break after the last visit, on the way back to base.
        ({"start": "11:30", "end": "12:30"}, {"arrive": "08:31", "start": "08:31", "end": "09:01"}, 1,
         ["depart", "travel", "stop", "break", "return"]),
        # OR-Tools may schedule the break after the team is back: not part of the day, not shown.
        ({"start": "13:30", "end": "15:00"}, {"arrive": "08:31", "start": "08:31", "end": "09:01"}, None,
         ["depart", "travel", "stop", "return"]),
    ],
)
def test_break_placement(raw_plan, brk, stop, leg, order):
    it = build_itinerary(_one_stop_plan(raw_plan, brk, stop), "T1", "2026-12-08")
    assert it.break_leg == leg
    assert it.stops[0].break_before is (leg == 0)
    assert it.has_break() is (leg is not None)
    assert [r.kind for r in it.timeline()] == order
    starts = [parse_hhmm(r.start) for r in it.timeline()]
    assert starts == sorted(starts)


def test_two_stops_on_one_estimated_point_do_not_claim_a_zero_drive(day):
    """Walk A: two villages placed on one town seat read “车程约 0 分钟，0.0 km” between them; the drive between
    them is not known, and the sheet says so. A stop on a point of its own keeps its drive."""
    import dataclasses

    from planner.field.model import CaseInfo

    s1, s2 = day.stops[0], day.stops[1]
    rough = (dataclasses.replace(s2.cases[0] if s2.cases else CaseInfo("X"), precision_km=24.0),)
    same = dataclasses.replace(s2, stop=dataclasses.replace(s2.stop, distance_m=0, travel_s=0), cases=rough)
    assert same.leg_text() == "与上一站同在一个估计点位，两地之间的实际车程未计入"
    exact = dataclasses.replace(same, cases=(dataclasses.replace(rough[0], precision_km=None),))
    assert exact.leg_text() == "车程约 0 分钟，0.0 km"  # a surveyed point: 0 km is what it is
    assert s1.leg_text() == f"车程约 {round(s1.stop.travel_s / 60)} 分钟，{s1.stop.distance_m / 1000:.1f} km"
    with_same = dataclasses.replace(day, stops=(s1, same, *day.stops[2:]))
    assert any(r.text.startswith("与上一站同在一个估计点位") for r in with_same.timeline() if r.kind == "travel")


def test_a_file_with_full_identities_says_so_in_its_name(day):
    """Walk J: the unmasked HTML/PDF/ICS were named 第一检查组_2026-12-08.html like the masked ones."""
    from planner.field import file_name

    plain, full = file_name("pdf", day), file_name("pdf", day, unmasked=True)
    assert plain == f"{day.team.name}_{day.date.isoformat()}.pdf"
    assert full == f"{day.team.name}_{day.date.isoformat()}_含信访人身份.pdf"
    assert file_name("xlsx", unmasked=True) == "下访行程汇总_含信访人身份.xlsx"
    assert "身份" not in file_name("zip")
