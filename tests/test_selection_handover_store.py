"""Walk U: a coordinator's 选件 never reached the leaders who plan. 生成走访点 by a coordinator hands each going
team's share to that team's leaders; a leader reads only their own teams' share, with who chose it and when, and
may adopt it or keep their own selection. On SQLite and PostgreSQL (``engine``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from planner.domain import Team, TeamMember, Visit
from planner.office.clock import to_local
from planner.office.security import Actor
from planner.routing.advice import PlanRequest
from planner.selection.handover import hand_over, keep_own, split_for_teams
from planner.selection.memory import load_selection, restore_note, save_selection
from planner.selection.ranking import build_visits
from planner.store.cases import case_from_row
from planner.store.database import session_scope
from planner.store.models import CaseRow

COORD = Actor("tongchou", "coordinator", display_name="陈统筹")
LEAD1 = Actor("zuzhang1", "leader", team_ids=("T1",), display_name="林组长")
LEAD2 = Actor("zuzhang2", "leader", team_ids=("T2",), display_name="黄组长")
START = dt.date(2026, 12, 7)
TODAY = dt.date(2026, 12, 5)
# T1 based in the east (芗城), T2 in the south-west (平和): letters near each base.
TEAMS = (Team("T1", "第一检查组", 117.65, 24.51), Team("T2", "第二检查组", 117.31, 24.37))


def _case(i: int, lon: float, lat: float) -> CaseRow:
    return CaseRow(case_no=f"HU-{i:02d}", received_date=dt.date(2026, 11, i), deadline=dt.date(2027, 1, 20),
                   content="征地补偿款没有发放", category="征地拆迁", county="某县", county_code="350628",
                   town=f"{i}镇", town_code=f"350628{i:03d}", village=f"{i}村", village_code=f"350628{i:03d}201",
                   lon=lon, lat=lat, precision="village")


@pytest.fixture()
def handed(engine):
    rows = [_case(i, 117.62 + i / 200, 24.50) for i in range(1, 5)] + \
           [_case(i, 117.28 + i / 200, 24.36) for i in range(5, 9)]
    with session_scope(engine) as s:
        s.add_all(rows)
        s.flush()
        visits = build_visits([case_from_row(r) for r in rows], today=TODAY).visits
        trip = PlanRequest(START, 2, ("T1", "T2"))
        save_selection(s, COORD.username, visits, trip, {"sel_top": 8})
        shares = hand_over(s, COORD, visits, trip, TEAMS)
    return engine, visits, shares


def _cases(last) -> set[str]:
    return {c for v in last.visits for c in v.case_nos}


def test_each_leader_gets_only_their_teams_share_with_who_and_when(handed) -> None:
    engine, visits, shares = handed
    with session_scope(engine) as s:
        one, two = load_selection(s, LEAD1, on=TODAY), load_selection(s, LEAD2, on=TODAY)
    assert one is not None and two is not None
    assert _cases(one) == {f"HU-{i:02d}" for i in range(1, 5)}  # the letters near T1's base
    assert _cases(two) == {f"HU-{i:02d}" for i in range(5, 9)}
    assert _cases(one) == {c for v in shares["T1"] for c in v.case_nos}
    assert one.trip.team_ids == ("T1",) and two.trip.team_ids == ("T2",)
    assert one.trip.start_date == START and one.trip.days == 2
    h = one.handover
    assert h is not None and not h.adopted and h.by == COORD.username
    when = to_local(h.at).strftime("%m-%d %H:%M")
    assert restore_note(one).startswith(f"协调员陈统筹于 {when} 选定：本组 {len(one.visits)} 个走访点，共 4 件。")
    # The coordinator's own selection is unchanged: all of it.
    with session_scope(engine) as s:
        mine = load_selection(s, COORD, on=TODAY)
    assert _cases(mine) == {c for v in visits for c in v.case_nos} and mine.handover is None


def test_a_leader_with_a_newer_own_selection_keeps_it_and_may_keep_an_older_one(handed) -> None:
    engine, visits, _ = handed
    own = tuple(v for v in visits if "HU-01" in v.case_nos)
    with session_scope(engine) as s:
        save_selection(s, LEAD1.username, own, PlanRequest(START, 1, ("T1",)))
        last = load_selection(s, LEAD1, on=TODAY)
    assert _cases(last) == {"HU-01"} and last.handover is None
    # A hand-over made after it is offered ...
    with session_scope(engine) as s:
        hand_over(s, COORD, visits, PlanRequest(START, 2, ("T1", "T2")), TEAMS)
        offered = load_selection(s, LEAD1, on=TODAY)
    assert offered.handover is not None and len(_cases(offered)) == 4
    # ... until the leader keeps their own over it.
    with session_scope(engine) as s:
        keep_own(s, LEAD1, offered.handover.at)
        kept = load_selection(s, LEAD1, on=TODAY)
    assert _cases(kept) == {"HU-01"} and kept.handover is None


def test_adopting_makes_it_the_leaders_own_and_the_note_says_whose(handed) -> None:
    engine, _, _ = handed
    with session_scope(engine) as s:
        offered = load_selection(s, LEAD1, on=TODAY)
        save_selection(s, LEAD1.username, offered.visits, offered.trip, {}, handed_over=offered.handover)
        mine = load_selection(s, LEAD1, on=TODAY)
    assert _cases(mine) == _cases(offered) and mine.handover.adopted
    assert "采用协调员陈统筹于" in restore_note(mine) and restore_note(mine).startswith("已恢复上次选定的")


def test_another_teams_case_never_reaches_a_leader(handed) -> None:
    """A team's share read by a leader of another team: their rights are checked; nothing crosses over."""
    engine, _, _ = handed
    officer = Actor("ganbu1", "officer", team_ids=("T1",))
    stranger = Actor("zuzhang3", "leader", team_ids=("T3",))
    with session_scope(engine) as s:
        assert load_selection(s, officer, on=TODAY) is None  # officers do not plan
        assert load_selection(s, stranger, on=TODAY) is None  # no team of theirs went


def test_a_new_hand_over_withdraws_the_teams_no_longer_going(handed) -> None:
    engine, visits, _ = handed
    with session_scope(engine) as s:
        hand_over(s, COORD, visits[:2], PlanRequest(START, 1, ("T1",)), TEAMS)
        assert load_selection(s, LEAD2, on=TODAY) is None
        assert len(load_selection(s, LEAD1, on=TODAY).visits) == 2


def _visit(i: int, lon: float, **kw) -> Visit:
    return Visit(f"V{i}", lon, 24.5, 60, case_nos=(f"C{i}",), **kw)


def test_split_keeps_pins_groups_recusal_and_shares_fairly() -> None:
    ana = TeamMember("m-ana", "安")
    teams = (dataclasses.replace(TEAMS[0], members=(ana,)), TEAMS[1])
    east, west = 117.66, 117.30
    visits = [_visit(1, west, team_id="T1"), _visit(2, east, group="g"), _visit(3, west, group="g"),
              _visit(4, east, excluded_members=("m-ana",)), *[_visit(i, east) for i in range(5, 9)]]
    shares = split_for_teams(visits, teams)
    where = {v.visit_id: t for t, vs in shares.items() for v in vs}
    assert sorted(where) == sorted(v.visit_id for v in visits)  # each visit to exactly one team
    assert where["V1"] == "T1"  # pinned
    assert where["V2"] == where["V3"]  # same-day group
    assert where["V4"] == "T2"  # 回避: a member of T1 must not take it
    assert max(len(vs) for vs in shares.values()) <= 4  # a fair share each (8 visits, 2 teams)


def test_a_team_given_nothing_this_time_is_offered_nothing(handed) -> None:
    """One visit for two teams: the team without a share is not offered 本组 0 个走访点, nor its earlier share."""
    engine, visits, _ = handed
    with session_scope(engine) as s:
        shares = hand_over(s, COORD, visits[:1], PlanRequest(START, 1, ("T1", "T2")), TEAMS)
        empty = next(LEAD1 if t == "T1" else LEAD2 for t, vs in shares.items() if not vs)
        assert load_selection(s, empty, on=TODAY) is None
