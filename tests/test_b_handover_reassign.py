"""选件 hand-over: the coordinator moves one visit (with its letters) to another team going, before the leaders
adopt it — 回避 and 专长 as in the share-out, a leader's adopted share not taken from under them, a live plan's
letters left alone — and the leaders' offers follow. Every step of the hand-over is audited (teams and counts, no
petitioner). On SQLite and PostgreSQL (``engine``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from planner.domain import Team, TeamMember, Visit
from planner.errors import ConflictError, InputError, PermissionDenied
from planner.office import audit
from planner.office.security import Actor
from planner.routing.advice import PlanRequest
from planner.selection.handover import current_shares, hand_over, keep_own, reassign
from planner.selection.memory import adopt, load_selection, restore_note
from planner.store.database import session_scope
from planner.store.models import AuditRow, CaseRow, PlanCase, PlanRow, UserRow

COORD = Actor("tongchou", "coordinator", display_name="陈统筹")
LEAD1 = Actor("zuzhang1", "leader", team_ids=("T1",), display_name="林组长")
LEAD2 = Actor("zuzhang2", "leader", team_ids=("T2",), display_name="黄组长")
OFFICER = Actor("ganbu1", "officer", team_ids=("T1",))
START = dt.date(2026, 12, 7)
TODAY = dt.date(2026, 12, 5)
ANA = TeamMember("m-ana", "安", skills=("forestry",))
# T1 based in the east, T2 in the south-west, T3 not going; 安 (林业) is on T1.
TEAMS = (Team("T1", "第一检查组", 117.65, 24.51, members=(ANA,)), Team("T2", "第二检查组", 117.31, 24.37),
         Team("T3", "第三检查组", 117.50, 24.45))
TRIP = PlanRequest(START, 2, ("T1", "T2"))
EAST, WEST = 117.64, 117.32


def _visit(i: int, lon: float, **kw) -> Visit:
    return Visit(f"V{i:03d}", lon, 24.45, 60, case_nos=(f"HR-{i:02d}",), label=f"{i}村", **kw)


@pytest.fixture()
def db(engine):
    with session_scope(engine) as s:
        for i in range(1, 9):
            s.add(CaseRow(case_no=f"HR-{i:02d}", received_date=dt.date(2026, 11, i), deadline=dt.date(2027, 1, 20),
                          content="征地补偿款没有发放", category="征地拆迁", county="平和县", county_code="350628",
                          town=f"{i}镇", village=f"{i}村", lon=EAST if i < 5 else WEST, lat=24.45,
                          precision="village"))
        for a in (COORD, LEAD1, LEAD2):
            s.add(UserRow(username=a.username, display_name=a.display_name, role=a.role, password_hash="x",
                          team_ids=list(a.team_ids)))
    return engine


def _share(engine, visits) -> dict[str, tuple[Visit, ...]]:
    with session_scope(engine) as s:
        return hand_over(s, COORD, visits, TRIP, TEAMS)


def _cases(last) -> set[str]:
    return {c for v in last.visits for c in v.case_nos} if last is not None else set()


def _team_of(shares, visit_id: str) -> str:
    return next(t for t, vs in shares.items() if any(v.visit_id == visit_id for v in vs))


def _audit(engine, action: str) -> list[AuditRow]:
    with session_scope(engine) as s:
        rows = list(s.scalars(select(AuditRow).where(AuditRow.action == action).order_by(AuditRow.id)))
        s.expunge_all()
    return rows


def test_a_visit_moved_to_another_team_leaves_one_leader_and_reaches_the_other(db) -> None:
    shares = _share(db, [_visit(i, EAST if i < 5 else WEST) for i in range(1, 9)])
    assert _team_of(shares, "V001") == "T1"
    with session_scope(db) as s:
        moved = reassign(s, COORD, "V001", "T2", TEAMS)
    assert moved.from_team == "T1" and moved.to_team == "T2" and [v.visit_id for v in moved.visits] == ["V001"]
    with session_scope(db) as s:
        one, two = load_selection(s, LEAD1, on=TODAY), load_selection(s, LEAD2, on=TODAY)
        _, now = current_shares(s, COORD)
    assert _cases(one) == {"HR-02", "HR-03", "HR-04"}
    assert _cases(two) == {"HR-01", "HR-05", "HR-06", "HR-07", "HR-08"}
    assert _team_of(now, "V001") == "T2" and len(now["T1"]) == 3 and len(now["T2"]) == 5
    assert two.trip.team_ids == ("T2",) and two.trip.start_date == START
    assert "改派" in restore_note(two) and "本组 5 个走访点，共 5 件" in restore_note(two)
    rows = _audit(db, "handover_move")
    assert len(rows) == 1 and rows[0].username == COORD.username and rows[0].case_nos == ["HR-01"]
    assert rows[0].detail == {"from": "T1", "to": "T2", "visits": 1, "cases": 1}
    text = audit.describe({"at": rows[0].at, "username": COORD.username, "action": "handover_move",
                           "case_nos": rows[0].case_nos, "detail": rows[0].detail},
                          team_names={t.team_id: t.name for t in TEAMS})
    assert "把 1 个走访点（1 件）从第一检查组改派给第二检查组" in text


def test_a_pinned_visit_is_pinned_to_its_new_team_and_a_group_moves_whole(db) -> None:
    visits = [_visit(1, EAST, team_id="T1"), _visit(2, EAST, group="g"), _visit(3, EAST, group="g"),
              *(_visit(i, WEST) for i in range(4, 7))]
    shares = _share(db, visits)
    assert _team_of(shares, "V002") == _team_of(shares, "V003") == "T1"
    with session_scope(db) as s:
        pinned = reassign(s, COORD, "V001", "T2", TEAMS)
        group = reassign(s, COORD, "V003", "T2", TEAMS)
    assert [v.team_id for v in pinned.visits] == ["T2"]
    assert sorted(v.visit_id for v in group.visits) == ["V002", "V003"]
    with session_scope(db) as s:
        _, now = current_shares(s, COORD)
        two = load_selection(s, LEAD2, on=TODAY)
    assert now.get("T1", ()) == () and {v.visit_id for v in now["T2"]} == {f"V{i:03d}" for i in range(1, 7)}
    assert next(v for v in two.visits if v.visit_id == "V001").team_id == "T2"
    with session_scope(db) as s:
        assert load_selection(s, LEAD1, on=TODAY) is None  # nothing left for T1: nothing offered


@pytest.mark.parametrize(("visit", "to", "match"), [
    (_visit(5, WEST, excluded_members=()), "T3", "第三检查组不是这次参加下访的检查组"),
    (_visit(5, WEST, excluded_members=("m-ana",)), "T1", "须回避该组成员 安（回避）"),
])
def test_a_team_that_may_not_take_the_visit_is_refused_with_the_reason(db, visit: Visit, to: str, match: str) -> None:
    shares = _share(db, [_visit(1, EAST), visit])
    assert _team_of(shares, "V005") == "T2"
    with session_scope(db) as s, pytest.raises(InputError, match=match):
        reassign(s, COORD, "V005", to, TEAMS)
    with session_scope(db) as s:
        assert _cases(load_selection(s, LEAD2, on=TODAY)) == {"HR-05"}  # nothing moved
    assert _audit(db, "handover_move") == []


def test_skills_as_the_share_out_keeps_them(db) -> None:
    """A skill T1 has and T2 lacks: refused to T2. A skill no going team has: any going team may take it."""
    shares = _share(db, [_visit(1, EAST, skills=("forestry",)), _visit(2, EAST, skills=("audit",)),
                         _visit(5, WEST)])
    assert _team_of(shares, "V001") == "T1"
    lacking = r"需要专长（林业），该组没有；参加的检查组中第一检查组有"
    with session_scope(db) as s, pytest.raises(InputError, match=lacking):
        reassign(s, COORD, "V001", "T2", TEAMS)
    source = _team_of(shares, "V002")
    with session_scope(db) as s:
        assert reassign(s, COORD, "V002", "T2" if source == "T1" else "T1", TEAMS).to_team != source


def test_a_share_a_leader_adopted_is_not_taken_from_them_but_a_move_to_them_is_offered_again(db) -> None:
    _share(db, [_visit(1, EAST), _visit(2, EAST), _visit(5, WEST), _visit(6, WEST)])
    with session_scope(db) as s:
        offer = load_selection(s, LEAD1, on=TODAY)
        adopt(s, LEAD1, offer.handover, offer.visits, on=TODAY)
    taken = r"第一检查组组长林组长已于 \d\d-\d\d \d\d:\d\d 采用"
    with session_scope(db) as s, pytest.raises(ConflictError, match=taken):
        reassign(s, COORD, "V001", "T2", TEAMS)
    with session_scope(db) as s:
        assert _cases(load_selection(s, LEAD2, on=TODAY)) == {"HR-05", "HR-06"}
        moved = reassign(s, COORD, "V005", "T1", TEAMS)
    assert moved.offered_again == ("林组长",)
    with session_scope(db) as s:
        again = load_selection(s, LEAD1, on=TODAY)
    assert again.handover is not None and not again.handover.adopted
    assert _cases(again) == {"HR-01", "HR-02", "HR-05"}
    adopted = _audit(db, "handover_adopt")
    assert len(adopted) == 1 and adopted[0].username == LEAD1.username
    assert adopted[0].detail | {"at": ""} == {"by": COORD.username, "by_name": "陈统筹", "by_role": "coordinator",
                                              "teams": ["T1"], "at": "", "visits": 2, "cases": 2}


def test_letters_a_live_plan_routes_are_not_moved(db) -> None:
    _share(db, [_visit(1, EAST), _visit(5, WEST)])
    with session_scope(db) as s:
        plan = PlanRow(name="第一检查组下访", start_date=START, days=2, status="draft")
        s.add(plan)
        s.flush()
        case_id = s.scalars(select(CaseRow.id).where(CaseRow.case_no == "HR-01")).one()
        s.add(PlanCase(plan_id=plan.id, case_id=case_id, visit_id="V001", team_id="T1", visit_date=START))
    with session_scope(db) as s, pytest.raises(ConflictError, match=r"不能改派：信访件 HR-01 已在计划 #\d+"):
        reassign(s, COORD, "V001", "T2", TEAMS)


@pytest.mark.parametrize("who", [LEAD1, LEAD2, OFFICER])
def test_only_the_office_hands_over_and_moves(db, who: Actor) -> None:
    _share(db, [_visit(1, EAST), _visit(5, WEST)])
    with session_scope(db) as s:
        with pytest.raises(PermissionDenied, match="无权把走访点分给各组或改派"):
            reassign(s, who, "V001", "T2", TEAMS)
        with pytest.raises(PermissionDenied, match="无权把走访点分给各组或改派"):
            hand_over(s, who, [_visit(1, EAST)], TRIP, TEAMS)
    with session_scope(db) as s:
        _, now = current_shares(s, COORD)
    assert _team_of(now, "V001") == "T1"
    assert _audit(db, "handover_move") == []


def test_the_share_out_and_a_leader_keeping_their_own_are_audited(db) -> None:
    _share(db, [_visit(1, EAST), _visit(2, EAST), _visit(5, WEST)])
    rows = _audit(db, "handover")
    assert len(rows) == 1 and rows[0].username == COORD.username
    assert rows[0].case_nos == ["HR-01", "HR-02", "HR-05"]
    assert rows[0].detail == {"shares": [{"team": "T1", "visits": 2, "cases": 2},
                                         {"team": "T2", "visits": 1, "cases": 1}]}
    names = {t.team_id: t.name for t in TEAMS}
    entry = {"at": rows[0].at, "username": COORD.username, "action": "handover", "case_nos": rows[0].case_nos,
             "detail": rows[0].detail}
    said = audit.describe(entry, team_names=names)
    assert "分给各组组长：第一检查组 2 个走访点 2 件；第二检查组 1 个走访点 1 件" in said
    with session_scope(db) as s:
        offer = load_selection(s, LEAD2, on=TODAY).handover
        keep_own(s, LEAD2, offer.newest, offer=offer)
    kept = _audit(db, "handover_keep")
    assert len(kept) == 1 and kept[0].username == LEAD2.username
    assert kept[0].detail["teams"] == ["T2"] and kept[0].detail["by"] == COORD.username
    line = audit.log_table([{"at": kept[0].at, "username": LEAD2.username, "action": "handover_keep",
                             "case_nos": [], "detail": kept[0].detail}], team_names=names)[0]
    assert line["操作"] == "选件：保留自己的选件"
    assert "不采用协调员陈统筹于" in line["说明"] and "（第二检查组）" in line["说明"]


def test_a_leader_who_kept_their_own_is_offered_the_share_again_once_a_visit_is_moved_to_them(db) -> None:
    _share(db, [_visit(1, EAST), _visit(5, WEST)])
    with session_scope(db) as s:
        offer = load_selection(s, LEAD2, on=TODAY).handover
        keep_own(s, LEAD2, offer.newest, offer=offer)
        assert load_selection(s, LEAD2, on=TODAY) is None  # kept their own (none): not offered again
        reassign(s, COORD, "V001", "T2", TEAMS)
        again = load_selection(s, LEAD2, on=TODAY)
    assert _cases(again) == {"HR-01", "HR-05"} and not again.handover.adopted
    assert dataclasses.replace(again.handover, changed=None).newest < again.handover.newest


def test_a_leader_adopts_the_share_as_it_stands_not_as_they_were_shown_it_before_a_move(db) -> None:
    """A leader opened 选件 before the coordinator moved one of their visits away: 采用 then took the old share,
    the moved visit with it, so two teams held it. Now nothing is adopted and the leader is shown the share anew."""
    _share(db, [_visit(1, EAST), _visit(2, EAST), _visit(5, WEST)])
    with session_scope(db) as s:
        seen = load_selection(s, LEAD1, on=TODAY)
    assert _cases(seen) == {"HR-01", "HR-02"}
    with session_scope(db) as s:
        reassign(s, COORD, "V001", "T2", TEAMS)
    with session_scope(db) as s, pytest.raises(ConflictError, match="交来的选件已有改动"):
        adopt(s, LEAD1, seen.handover, seen.visits, on=TODAY)
    assert _audit(db, "handover_adopt") == []
    with session_scope(db) as s:
        again = load_selection(s, LEAD1, on=TODAY)
        assert not again.handover.adopted and _cases(again) == {"HR-02"}
        taken = adopt(s, LEAD1, again.handover, again.visits, on=TODAY)
    assert _cases(taken) == {"HR-02"}
    with session_scope(db) as s:
        mine = load_selection(s, LEAD1, on=TODAY)
    assert mine.handover.adopted and _cases(mine) == {"HR-02"}


def test_a_move_and_an_adoption_at_the_same_moment_take_turns(db, monkeypatch: pytest.MonkeyPatch) -> None:
    """The coordinator's move has checked that 林组长 has not adopted; 林组长 clicks 采用 before the move is saved. One
    of the two must see the other: never the moved visit both in 林组长's own selection and in 第二检查组's share."""
    import threading

    import planner.store.plans as plans

    _share(db, [_visit(1, EAST), _visit(2, EAST), _visit(5, WEST)])
    with session_scope(db) as s:
        seen = load_selection(s, LEAD1, on=TODAY)
    checked, adopted = threading.Event(), threading.Event()
    holders = plans.case_holders

    def slow_holders(*args, **kw):  # the move, past its checks, before it writes: the leader clicks now
        checked.set()
        adopted.wait(3)
        return holders(*args, **kw)

    monkeypatch.setattr(plans, "case_holders", slow_holders)
    outcome: dict[str, object] = {}

    def leader() -> None:
        checked.wait(10)
        try:
            with session_scope(db) as s:
                outcome["adopt"] = adopt(s, LEAD1, seen.handover, seen.visits, on=TODAY)
        except ConflictError as exc:
            outcome["adopt"] = exc
        finally:
            adopted.set()

    worker = threading.Thread(target=leader)
    worker.start()
    try:
        with session_scope(db) as s:
            outcome["move"] = reassign(s, COORD, "V001", "T2", TEAMS)
    except ConflictError as exc:
        outcome["move"] = exc
    worker.join(30)
    with session_scope(db) as s:
        mine = load_selection(s, LEAD1, on=TODAY)
        _, now = current_shares(s, COORD)
    in_t2 = any("HR-01" in v.case_nos for v in now.get("T2", ()))
    adopted_it = mine is not None and mine.handover is not None and mine.handover.adopted and "HR-01" in _cases(mine)
    assert not (in_t2 and adopted_it), outcome
    assert in_t2 != adopted_it  # one of the two went through
