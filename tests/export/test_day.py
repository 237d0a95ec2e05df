"""The field officer's day: which team-day opens first, stop cards with navigation links, recording at a stop.

The plan is ``tests/data/plan_zhangzhou.json`` (T1: six stops on 2026-12-07 and one on 2026-12-08; T2: two stops on
2026-12-07), saved in the database with its cases; expected values come from the raw JSON and ``geodata.datum``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import func, select

from geodata import datum
from planner.domain import VisitResult
from planner.errors import ConflictError, InputError, NotFoundError, PermissionDenied
from planner.field import build_itinerary, load_document
from planner.field.day import (
    StopRecord,
    TeamDay,
    day_view,
    officer_day,
    recorded_case_nos,
    save_stop_outcome,
    stop_records,
    team_days,
)
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, VisitOutcomeRow
from planner.store.plans import save_plan
from tests.export.conftest import PLAN_PATH

MONDAY = dt.date(2026, 12, 7)
OFFICER_T1 = Actor(username="li", role="officer", team_ids=("T1",), display_name="李干部")
OFFICER_T2 = Actor(username="wang", role="officer", team_ids=("T2",))
OFFICER_NOWHERE = Actor(username="zhao", role="officer", team_ids=("T9",))
COORDINATOR = Actor(username="chen", role="coordinator")
LEADER_T1 = Actor(username="huang", role="leader", team_ids=("T1",))


def _store(engine, raw: dict, *, name: str = "平和 12 月第一周", replaces: int | None = None) -> int:
    """Store the plan's cases and save the plan (a re-plan of plan ``replaces``, saved as a new plan); return its
    id."""
    doc = load_document(raw)
    with session_scope(engine) as s:
        known = set(s.scalars(select(CaseRow.case_no)))
        for no, c in doc.cases.items():
            if no in known:
                continue
            s.add(CaseRow(case_no=no, received_date=dt.date.fromisoformat(c["received_date"]),
                          deadline=dt.date.fromisoformat(c["deadline"]), title=c["summary"], content=c["summary"],
                          category=c.get("category", ""), county=c.get("county", ""), town=c.get("town", ""),
                          village=c.get("village", ""), status="planned"))
        s.flush()
        return save_plan(s, doc, name=name, who="chen", parent_id=replaces)


@pytest.fixture()
def raw() -> dict:
    return json.loads(PLAN_PATH.read_text(encoding="utf-8"))


@pytest.fixture()
def plan_id(engine, raw) -> int:
    return _store(engine, raw)


@pytest.fixture()
def issued(engine, plan_id) -> int:
    """The plan issued: officers record on issued plans only (a draft is the planners' working copy)."""
    from planner.store.lifecycle import PlanStatus, set_plan_status

    with session_scope(engine) as s:
        set_plan_status(s, plan_id, PlanStatus.ISSUED, who="chen")
    return plan_id


def test_officer_lands_on_today_else_the_next_day_with_a_route(session, plan_id, issued) -> None:
    assert officer_day(session, OFFICER_T1, MONDAY) == TeamDay(MONDAY, "T1", plan_id, "平和 12 月第一周", "issued")
    # Sunday before: the next day with a route is Monday.
    assert officer_day(session, OFFICER_T1, MONDAY - dt.timedelta(days=1)).date == MONDAY
    # Tuesday: T1 still has one stop; T2 has nothing left.
    tuesday = MONDAY + dt.timedelta(days=1)
    assert officer_day(session, OFFICER_T1, tuesday).date == tuesday
    assert officer_day(session, OFFICER_T2, tuesday) is None
    assert officer_day(session, OFFICER_T2, MONDAY).team_id == "T2"


def test_roles_that_see_every_team_and_officers_of_no_team_land_nowhere(session, plan_id) -> None:
    assert officer_day(session, COORDINATOR, MONDAY) is None
    assert officer_day(session, OFFICER_NOWHERE, MONDAY) is None
    assert team_days(session, OFFICER_NOWHERE, since=MONDAY) == []
    # The coordinator's list has every team-day of the plan.
    assert [(d.team_id, d.date) for d in team_days(session, COORDINATOR, since=MONDAY)] == [
        ("T1", MONDAY), ("T2", MONDAY), ("T1", MONDAY + dt.timedelta(days=1))]


def test_a_re_plan_replaces_the_older_plan_for_the_same_team_day(engine, session, raw, plan_id) -> None:
    newer = _store(engine, raw, name="重排", replaces=plan_id)
    days = team_days(session, LEADER_T1, since=MONDAY)  # two drafts: the leader's working copies, no officer's
    assert [(d.date, d.plan_id) for d in days] == [(MONDAY, newer), (MONDAY + dt.timedelta(days=1), newer)]
    assert all(d.team_id == "T1" for d in days)


def test_cards_carry_times_places_deadlines_and_links_in_each_apps_datum(raw) -> None:
    doc = load_document(raw)
    view = day_view(build_itinerary(doc, "T1", MONDAY))
    route = next(r for r in raw["routes"] if r["team"] == "T1" and r["date"] == MONDAY.isoformat())
    visits = {v["id"]: v for v in raw["visits"]}
    assert [s.arrive for s in view.stops] == [s["arrive"] for s in route["stops"]]
    for card, stop in zip(view.stops, route["stops"], strict=True):
        v = visits[stop["visit"]]
        assert [c.case_no for c in card.cases] == v["case_nos"]
        glon, glat = datum.wgs84_to_gcj02(v["lon"], v["lat"])
        blon, blat = datum.wgs84_to_bd09(v["lon"], v["lat"])
        to = parse_qs(urlparse(card.nav.amap_web).query)["to"][0].split(",")
        assert (float(to[0]), float(to[1])) == pytest.approx((glon, glat), abs=2e-6)
        dest = parse_qs(urlparse(card.nav.baidu_web).query)["destination"][0]
        lat_lon = dest.split("|")[0].removeprefix("latlng:").split(",")
        assert (float(lat_lon[1]), float(lat_lon[0])) == pytest.approx((blon, blat), abs=2e-6)
    first = view.stops[0].cases[0]
    assert first.deadline == dt.date.fromisoformat(raw["cases"][first.case_no]["deadline"])
    left = (first.deadline - MONDAY).days
    assert first.deadline_text(MONDAY) == f"办理期限 {first.deadline.isoformat()}（剩 {left} 天）"
    assert dataclasses.replace(first, deadline=MONDAY).deadline_text(MONDAY).endswith("（今天到期）")
    assert dataclasses.replace(first, deadline=MONDAY - dt.timedelta(days=3)).deadline_text(MONDAY).endswith(
        "（已超期 3 天）")
    # Walk C: a letter due in 2 days on a stop a week ahead read only 剩 2 天; the stop's day is past it.
    due_soon = dataclasses.replace(first, deadline=MONDAY + dt.timedelta(days=2))
    stop_day = MONDAY + dt.timedelta(days=7)
    assert due_soon.deadline_text(MONDAY, stop_day).endswith(f"（剩 2 天；{stop_day:%m-%d} 走访时已超期 5 天）")
    assert due_soon.overdue(MONDAY, stop_day) and not due_soon.overdue(MONDAY)
    assert due_soon.deadline_text(MONDAY, MONDAY + dt.timedelta(days=1)).endswith("（剩 2 天）")
    # The lunch break falls on exactly one leg, and that card says so.
    assert sum(bool(s.break_before) for s in view.stops) == 1
    assert [s.return_visit for s in view.stops] == [visits[s["visit"]]["visit_type"] == "return"
                                                    for s in route["stops"]]


def test_next_stop_is_the_first_with_an_unrecorded_case(raw) -> None:
    it = build_itinerary(load_document(raw), "T1", MONDAY)
    assert day_view(it).next_stop.seq == 1
    first_two = [c.case_no for s in it.stops[:2] for c in s.cases]
    view = day_view(it, recorded=first_two)
    assert view.next_stop.seq == 3
    assert view.progress_text() == f"已完成 2 · 待走访 {len(it.stops) - 2}（共 {len(it.stops)} 站）"
    # A stop with two cases is done only when both are recorded.
    two = next(s for s in it.stops if len(s.cases) == 2)
    half = day_view(it, recorded=[c.case_no for s in it.stops if s.seq < two.seq for c in s.cases]
                    + [two.cases[0].case_no])
    assert half.next_stop.seq == two.seq
    everything = [c.case_no for s in it.stops for c in s.cases]
    assert day_view(it, recorded=everything).next_stop is None


def test_a_stop_recorded_as_postponed_is_counted_apart_from_the_stops_done(raw) -> None:
    """Review: the day's progress line counted a stop recorded as 改期 as 已完成."""
    it = build_itinerary(load_document(raw), "T1", MONDAY)

    def rec(result: VisitResult) -> StopRecord:
        return StopRecord(outcome_id=1, version=1, result=result, households=0, leads=0, findings="原因",
                          resolved=False)

    view = day_view(it, recorded={**{c.case_no: rec(VisitResult.VISITED) for c in it.stops[0].cases},
                                  **{c.case_no: rec(VisitResult.POSTPONED) for c in it.stops[1].cases}})
    n = len(it.stops)
    assert view.progress_text() == f"已完成 1 · 改期 1 · 待走访 {n - 2}（共 {n} 站）"
    assert [s.postponed for s in view.stops[:2]] == [False, True]
    assert view.next_stop.seq == 3  # a stop put off is not the one to go to next


def test_a_stop_recorded_only_as_not_found_is_counted_apart_from_the_stops_done(raw) -> None:
    """Browser walk: a stop recorded only as 未找到 (nobody met) counted as 已完成."""
    it = build_itinerary(load_document(raw), "T1", MONDAY)

    def rec(result: VisitResult) -> StopRecord:
        return StopRecord(outcome_id=1, version=1, result=result, households=0, leads=0, findings="原因",
                          resolved=False)

    results = (VisitResult.VISITED, VisitResult.VISITED, VisitResult.POSTPONED, VisitResult.NOT_FOUND)
    # Only the first four stops are recorded; the rest of the day stays 待走访.
    recorded = {c.case_no: rec(r) for s, r in zip(it.stops, results, strict=False) for c in s.cases}
    view = day_view(it, recorded=recorded)
    n = len(it.stops)
    assert view.progress_text() == f"已完成 2 · 改期 1 · 未找到 1 · 待走访 {n - 4}（共 {n} 站）"
    assert [s.not_found for s in view.stops[:4]] == [False, False, False, True]
    assert view.next_stop.seq == 5
    # A stop of two letters, one met and one not found, was visited but not all of it (walk W12): 部分完成.
    two = next(s for s in it.stops if len(s.cases) == 2)
    mixed = day_view(it, recorded={two.cases[0].case_no: rec(VisitResult.VISITED),
                                   two.cases[1].case_no: rec(VisitResult.NOT_FOUND)})
    assert mixed.progress_text() == f"已完成 0 · 部分完成 1 · 待走访 {n - 1}（共 {n} 站）"


def test_an_outcome_saved_at_a_stop_carries_case_day_team_and_plan(engine, session, plan_id, issued, raw) -> None:
    day = officer_day(session, OFFICER_T1, MONDAY)
    case_no = raw["visits"][0]["case_nos"][0]
    save_stop_outcome(session, day, case_no, result="visited", households=12, leads=3, findings="已入户核实",
                      who="li", actor=OFFICER_T1)
    session.commit()
    row = session.scalars(select(VisitOutcomeRow).join(CaseRow, CaseRow.id == VisitOutcomeRow.case_id)
                          .where(CaseRow.case_no == case_no)).one()
    assert (row.visit_date, row.team_id, row.plan_id) == (MONDAY, "T1", plan_id)
    assert (row.result, row.households_visited, row.leads_collected, row.findings) == ("visited", 12, 3, "已入户核实")
    assert recorded_case_nos(session, [case_no, "ZZ2026-0102"], MONDAY, "T1") == {case_no}
    assert recorded_case_nos(session, [case_no], MONDAY, "T2") == set()
    assert recorded_case_nos(session, [case_no], MONDAY + dt.timedelta(days=1), "T1") == set()


def test_not_found_needs_a_reason_and_keeps_it(session, plan_id, issued, raw) -> None:
    day = officer_day(session, OFFICER_T1, MONDAY)
    case_no = raw["visits"][0]["case_nos"][0]
    with pytest.raises(InputError, match="原因"):
        save_stop_outcome(session, day, case_no, result=VisitResult.NOT_FOUND, findings="  ", who="li",
                          actor=OFFICER_T1)
    with pytest.raises(InputError, match="入户走访"):
        save_stop_outcome(session, day, case_no, result="visited", households=-1, who="li", actor=OFFICER_T1)
    with pytest.raises(InputError, match="结果"):
        save_stop_outcome(session, day, case_no, result="done", who="li", actor=OFFICER_T1)
    save_stop_outcome(session, day, case_no, result=VisitResult.NOT_FOUND, findings="信访人外出务工", who="li",
                      actor=OFFICER_T1)
    session.commit()
    row = session.scalars(select(VisitOutcomeRow)).one()
    assert (row.result, row.reason) == ("not_found", "信访人外出务工")


def test_an_officer_records_only_on_their_own_teams_route(session, plan_id, issued, raw) -> None:
    t1 = officer_day(session, OFFICER_T1, MONDAY)
    t1_case = raw["visits"][0]["case_nos"][0]
    with pytest.raises(PermissionDenied):
        save_stop_outcome(session, t1, t1_case, result="visited", who="wang", actor=OFFICER_T2)
    t2 = officer_day(session, OFFICER_T2, MONDAY)
    with pytest.raises(PermissionDenied):  # T2's day, but a T1 case
        save_stop_outcome(session, t2, t1_case, result="visited", who="wang", actor=OFFICER_T2)
    # A coordinator may record for any team, but only a case that is on that team-day's route.
    with pytest.raises(NotFoundError, match="不在计划"):
        save_stop_outcome(session, t2, t1_case, result="visited", who="chen", actor=COORDINATOR)
    assert session.scalar(select(func.count()).select_from(VisitOutcomeRow)) == 0


def test_saving_a_stop_again_corrects_its_one_record_and_refuses_a_stale_form(session, plan_id, issued, raw) -> None:
    day = officer_day(session, OFFICER_T1, MONDAY)
    case_no = raw["visits"][0]["case_nos"][0]
    first = save_stop_outcome(session, day, case_no, result="visited", households=12, leads=3, findings="初查",
                              who="li", actor=OFFICER_T1)
    session.commit()
    shown = stop_records(session, [case_no], MONDAY, "T1")[case_no]
    assert (shown.outcome_id, shown.households, shown.leads, shown.findings) == (first, 12, 3, "初查")
    assert shown.text() == "已走访 · 入户 12 户次 · 线索 3 条"
    # A second officer whose form showed no record (or an older version) is refused: nothing is overwritten.
    with pytest.raises(ConflictError, match="已由他人登记"):
        save_stop_outcome(session, day, case_no, result="visited", households=99, who="liu", actor=OFFICER_T1)
    with pytest.raises(ConflictError):
        save_stop_outcome(session, day, case_no, result="visited", households=99, who="liu", actor=OFFICER_T1,
                          expected_version=shown.version + 1)
    session.rollback()
    again = save_stop_outcome(session, day, case_no, result="visited", households=15, leads=3, findings="复核后更正",
                              who="li", actor=OFFICER_T1, expected_version=shown.version)
    session.commit()
    assert again == first
    rows = session.scalars(select(VisitOutcomeRow)).all()
    assert [(r.households_visited, r.findings) for r in rows] == [(15, "复核后更正")]


def test_an_issued_plan_wins_a_team_day_over_a_newer_draft(engine, session, raw, plan_id) -> None:
    from planner.store.models import PlanRow

    newer_draft = _store(engine, raw, name="草稿重排", replaces=plan_id)
    # The leader works on drafts; an officer has no route until one is issued (drafts are not theirs).
    assert officer_day(session, LEADER_T1, MONDAY).plan_id == newer_draft
    assert officer_day(session, OFFICER_T1, MONDAY) is None
    session.get(PlanRow, plan_id).status = "issued"
    session.commit()
    for who in (LEADER_T1, OFFICER_T1):
        day = officer_day(session, who, MONDAY)
        assert (day.plan_id, day.plan_status) == (plan_id, "issued")
    session.get(PlanRow, plan_id).status = "done"
    session.commit()
    assert officer_day(session, LEADER_T1, MONDAY).plan_id == newer_draft
    day = officer_day(session, OFFICER_T1, MONDAY)  # the finished plan is the officer's to see, the draft is not
    assert (day.plan_id, day.plan_status) == (plan_id, "done")


def test_a_return_stop_keeps_a_resolved_letter_resolved_unless_the_problem_is_back(session, plan_id, issued) -> None:
    """Browser walk: a 回访 recorded for a letter 已化解 with its box left unticked made it 已下访 (overdue); on the
    phone the box is “问题已当场化解”, which a 回访 of a settled letter leaves unticked."""
    back = "ZZ2026-0106"  # V05, a 回访 stop of T1 on Monday
    session.scalars(select(CaseRow).where(CaseRow.case_no == back)).one().status = "resolved"
    session.flush()
    day = officer_day(session, OFFICER_T1, MONDAY)

    def status() -> str:
        return session.scalars(select(CaseRow.status).where(CaseRow.case_no == back)).one()

    oid = save_stop_outcome(session, day, back, result="visited", households=2, findings="采砂点已停止，群众满意",
                            who="li", actor=OFFICER_T1)
    assert status() == "resolved"
    assert session.get(VisitOutcomeRow, oid).problem_resolved is True
    shown = stop_records(session, [back], MONDAY, "T1")[back]
    save_stop_outcome(session, day, back, result="visited", households=2, findings="采砂点夜间复工",
                      problem_back=True, who="li", actor=OFFICER_T1, expected_version=shown.version)
    assert status() == "visited"
