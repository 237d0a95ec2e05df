"""同村的信访件合为一个点 (walk W12): a village's letters are one stop of a team's day, also when the table lacks the
village (淮溪村11组 and 淮溪村6组, placed on 山格镇's seat) and when a re-plan finds two stops of one village (a letter
the register moved to 钟腾村, where another stop already stood: V008 and V010 on 12-08, apart)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from planner.domain import Location, PetitionCase, Precision, Team, Visit
from planner.routing.problem import PlanOptions
from planner.routing.replan import replan_document
from planner.routing.report import plan_document
from planner.selection.ranking import build_visits

MONDAY = dt.date(2026, 12, 7)
SHANGE = (117.43, 24.37)
XIAZHAI = (117.165, 24.37)
T1 = Team("T1", "平和下访组", 117.3, 24.4, base_name="平和")


def _letter(no: str, address: str, village: str = "", code: str = "") -> PetitionCase:
    loc = Location(*SHANGE, county="平和县", county_code="350628", town="山格镇", town_code="350628101",
                   village=village, village_code=code, precision=Precision.VILLAGE if code else Precision.TOWN,
                   point_source="town_seat")
    return PetitionCase(case_no=no, received_date=dt.date(2026, 11, 20), content="反映问题", address_text=address,
                        location=loc)


def test_letters_of_a_village_the_table_lacks_are_one_stop() -> None:
    build = build_visits([_letter("0032", "平和县山格镇淮溪村11组"), _letter("0107", "平和县山格镇淮溪村6组"),
                          _letter("0211", "山格镇淮溪村")], today=MONDAY)
    assert [sorted(v.case_nos) for v in build.visits] == [["0032", "0107", "0211"]]
    assert build.visits[0].service_min == 60 + 30 + 30
    # Letters naming only the town may be anywhere in it: they stay apart.
    build = build_visits([_letter("0001", "平和县山格镇"), _letter("0002", "平和县山格镇政府附近"),
                          _letter("0003", "平和县山格镇铜中村", "铜中村", "350628101201")], today=MONDAY)
    assert sorted(v.case_nos for v in build.visits) == [("0001",), ("0002",), ("0003",)]


def _details(*pairs: tuple[str, str]) -> dict[str, dict[str, str]]:
    return {no: {"case_no": no, "county": "平和县", "town": "霞寨镇", "village": village,
                 "address": "平和县霞寨镇" + village} for no, village in pairs}


def _stop(vid: str, no: str, **kw) -> Visit:
    return Visit(vid, *XIAZHAI, 60, case_nos=(no,), label="平和县霞寨镇钟腾村", **kw)


def _replan(visits, previous=None, locked=()):
    cases = _details(("0032", "钟腾村"), ("0111", "钟腾村"), ("0207", ""))
    return replan_document(visits, [T1], start_date=MONDAY + dt.timedelta(days=1), days=2, previous=previous,
                           options=PlanOptions(today=MONDAY), cases=cases, locked=locked, time_limit_s=1.0)


def test_a_replan_makes_one_stop_of_two_stops_of_one_village() -> None:
    visits = [_stop("V008", "0032"), Visit("V009", *XIAZHAI, 60, case_nos=("0207",), label="平和县霞寨镇"),
              _stop("V010", "0111")]
    previous = plan_document(visits, [T1], start_date=MONDAY + dt.timedelta(days=1), days=2, time_limit_s=1.0)
    assert len([s for r in previous.plan.routes for s in r.stops]) == 3  # as walk W12 had them: apart
    new, notes = _replan(visits, previous)
    assert sorted(new.visits) == ["V008", "V009"]
    assert new.visits["V008"].case_nos == ("0032", "0111") and new.visits["V008"].service_min == 90
    assert sorted(s.visit_id for r in new.plan.routes for s in r.stops) == ["V008", "V009"]
    assert "V008 平和县霞寨镇钟腾村：与 V010 同村，合为一个走访点（2 件）" in notes
    assert not any("V010" in n and "未排入" in n for n in notes)
    assert any("V010 平和县霞寨镇钟腾村（并入 V008）" in n for n in notes)

    # Stops a leader kept apart (pinned to different days, locked) and a return visit stay apart.
    day1, day2 = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)
    new, _ = _replan([_stop("V008", "0032", date=day1), _stop("V010", "0111", date=day2)])
    assert sorted(new.visits) == ["V008", "V010"]
    new, _ = _replan([_stop("V008", "0032"), _stop("V010", "0111", locked=True)])
    assert sorted(new.visits) == ["V008", "V010"]
    new, _ = _replan([_stop("V008", "0032"), dataclasses.replace(_stop("V010", "0111"), visit_type="return")])
    assert sorted(new.visits) == ["V008", "V010"]
