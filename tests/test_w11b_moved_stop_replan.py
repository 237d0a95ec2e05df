"""A letter the register moves while an issued plan holds it, planned again (walk W11b).

路线规划 warned of ZZXF-2026-0042 moved from 龙海区程溪镇浮山村 far away (33c2613) and the leader re-planned: must-visit
stops were left out under a warning that named none of them (3 个必访点未排入), and the officers' notice of the new
version (行程: 计划已于 … 调整) still named the letter's old village. Now each 必访 stop left out is named with its
letters, its place (and 原地点 of a moved letter), the reason and what to do, and the notice names the place now with
原地点 — also when the moved stop stays on its day.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import Team
from planner.intake.register import import_register
from planner.routing.history import route_changes, today_rule
from planner.routing.plan_words import MUST_OUT_ADVICE, must_out_lines
from planner.routing.problem import PlanOptions
from planner.routing.replan import replan_document
from planner.routing.report import plan_document
from planner.routing.travel import OfflineTravelModel
from planner.selection.ranking import build_visits, rank_cases
from planner.store.cases import field_case_details, load_cases
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.moved_letters import moved_letters, plan_moves, with_current_places
from planner.store.plans import kept_history, open_plan, put_off_history, resave_plan, route_notices, save_plan
from planner.store.teams import save_team

MONDAY = dt.date(2026, 12, 7)
TEAM = Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委")
HEADER = "编号,收件日期,问题类别,反映内容,地址\n"
PLACES = ("平和县山格镇隆庆村", "平和县文峰镇三坪村", "平和县小溪镇西林村", "平和县坂仔镇心田村", "平和县南胜镇法华村")
#: Received in August: overdue by 12-07, so every stop is 必访.
FIRST = HEADER + "".join(f"W11B-{i},2026-08-0{i + 1},作风,反映村干部长期不在岗问题{i}。,{p}\n"
                         for i, p in enumerate(PLACES))
FAR = "东山县陈城镇澳角村"


def _issued(engine) -> tuple[int, object]:
    """Team A's two days from Monday over five 必访 letters, saved and issued."""
    with session_scope(engine) as s:
        save_team(s, TEAM)
    import_register(engine, FIRST.encode(), filename="登记表.csv", who="coord")
    with session_scope(engine) as s:
        cases = load_cases(s)
        details = field_case_details(s, [c.case_no for c in cases])
    build = build_visits(rank_cases(cases, today=MONDAY), today=MONDAY, teams=[TEAM])
    assert all(v.must for v in build.visits)
    doc = plan_document(build.visits, [TEAM], start_date=MONDAY, days=2, time_limit_s=1.0,
                        travel=OfflineTravelModel(), cases=details)
    with session_scope(engine) as s:
        pid = save_plan(s, doc, name="第49周", who="boss")
        set_plan_status(s, pid, PlanStatus.ISSUED, who="boss")
    return pid, doc


def _move(engine, doc) -> tuple[str, str, str]:
    """The register again with the first letter of Monday's first stop at :data:`FAR`: (stop, letter, old place)."""
    route = next(r for r in doc.plan.routes if r.date == MONDAY and r.stops)
    vid = route.stops[0].visit_id
    no = doc.visits[vid].case_nos[0]
    old = PLACES[int(no.split("-")[1])]
    import_register(engine, FIRST.replace(f"{no.split('-')[1]}。,{old}", f"{no.split('-')[1]}。,{FAR}").encode(),
                    filename="登记表（二）.csv", who="coord")
    return vid, no, old


def _replan(engine, pid: int, at: str):
    """What 打开计划 #N 重新规划 then 重新规划其余走访点 do at ``at`` on Monday: the opened plan and the new one."""
    with session_scope(engine) as s:
        opened = open_plan(s, pid)
        doc = with_current_places(s, opened.doc, moved_letters(s, opened.doc, pid))
        kept, put_off = kept_history(s, pid, ()), put_off_history(s, pid)
    not_before, _ = today_rule(MONDAY, dt.datetime.combine(MONDAY, dt.time.fromisoformat(at)), [TEAM])
    new, _notes = replan_document(list(doc.visits.values()), [TEAM], start_date=MONDAY, days=doc.plan.days,
                                  time_limit_s=1.0, previous=doc, kept=kept, put_off=put_off, cases=doc.cases,
                                  travel=OfflineTravelModel(), options=PlanOptions(not_before=not_before, today=MONDAY))
    return opened, new


@pytest.mark.parametrize("stays", [False, True], ids=["moved-off-its-day", "stays-on-its-day"])
def test_w11b_the_officers_notice_names_the_moved_stop_at_its_place_now(engine, monkeypatch, stays) -> None:
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:00")
    pid, doc = _issued(engine)
    vid, _no, old = _move(engine, doc)
    opened, new = _replan(engine, pid, "08:00")
    if stays:  # the re-plan kept the moved stop on Monday, in its place: only its place changed
        with session_scope(engine) as s:
            now = with_current_places(s, opened.doc, moved_letters(s, opened.doc, pid))
        new = now
    with session_scope(engine) as s:
        resave_plan(s, pid, new, who="boss", expected_version=opened.version)
        days = sorted({r.date for r in (*doc.plan.routes, *new.plan.routes)})
        notices = route_notices(s, pid, "A", days, MONDAY, other_days=True)
    said = [n for n in notices if f"{vid} " in n]
    assert said, notices
    for n in said:
        assert f"{vid} {FAR}" in n or f"{vid} 的地点改为 {FAR}" in n, n
        assert old in n and n.count(old) == n.count(f"原地点 {old}"), n
    if stays:
        assert f"{vid} 的地点改为 {FAR}（原地点 {old}）" in said[0]


def test_w11b_route_changes_list_a_stop_that_moved_in_place() -> None:
    """The library's record of a version that only moved a stop's place: ``relocated`` with the old place."""
    import dataclasses

    from planner.domain import Plan, Route, Stop, Visit
    from planner.routing.planio import PlanDocument

    v1 = Visit("V1", 117.43, 24.37, 45, label="山格镇隆庆村")
    v2 = Visit("V2", 117.375, 24.325, 45, label="文峰镇三坪村")
    route = Route("A", MONDAY, 510, 700, (Stop("V1", 540, 540, 585, 600, 9000), Stop("V2", 600, 600, 645, 600, 9000)),
                  1800, 27000)
    old = PlanDocument(Plan("feasible", (route,), ()), {"V1": v1, "V2": v2}, {"A": TEAM})
    new = dataclasses.replace(old, visits={**old.visits, "V1": dataclasses.replace(v1, label=FAR, lon=117.6)})
    assert route_changes(old, new, since=MONDAY) == [{
        "team": "A", "date": "2026-12-07", "added": [], "removed": [], "reordered": False,
        "relocated": [["V1", FAR, "山格镇隆庆村"]]}]
    assert route_changes(old, old, since=MONDAY) == []
    # Moved to Tuesday, where V2 goes: the added entry carries its old place, which the leader's notes read.
    from planner.routing.replan import day_notes

    tuesday = MONDAY + dt.timedelta(days=1)
    two = dataclasses.replace(old, plan=dataclasses.replace(old.plan, routes=(
        dataclasses.replace(route, stops=route.stops[:1]),
        dataclasses.replace(route, date=tuesday, stops=route.stops[1:]))))
    later = dataclasses.replace(new, plan=dataclasses.replace(new.plan, routes=(
        dataclasses.replace(route, date=tuesday, stops=(route.stops[1], route.stops[0])),)))
    (monday, tue) = route_changes(two, later, since=MONDAY)
    assert monday["removed"] == [["V1", FAR, "A", "2026-12-08", "山格镇隆庆村"]] and monday["cancelled"]
    assert tue["added"] == [["V1", FAR, "山格镇隆庆村"]]
    assert day_notes(two, later, MONDAY, {"A": "平和一组"}) == [
        f"平和一组：12-07 行程已取消（原 1 站）：V1 {FAR}（改到平和一组 12-08）；12-08 新增 V1 {FAR}"]


def test_w11b_each_must_stop_left_out_is_named_with_its_letters_reason_and_old_place(engine, monkeypatch) -> None:
    """Re-planned at 15:00, Monday's rest of the shift holds no trip to 东山县 and the moved stop is left out (the
    plan's last day is Tuesday, full or not): the warning's line names it, its letter, 原地点 and why."""
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T15:00")
    pid, doc = _issued(engine)
    vid, no, old = _move(engine, doc)
    _opened, new = _replan(engine, pid, "15:00")
    with session_scope(engine) as s:
        moved = {m.case_no: m.planned for m in plan_moves(s, pid)}
    assert moved == {no: old}
    out = [u for u in new.plan.unassigned if new.visits[u.visit_id].must]
    lines = must_out_lines(new.plan.unassigned, new.visits, moved=moved)
    assert len(lines) == len(out) >= 1
    for u, line in zip(out, lines, strict=True):
        v = new.visits[u.visit_id]
        assert line.startswith(f"{u.visit_id} {v.label}（信访件 {'、'.join(v.case_nos)}")
        assert u.reason.rstrip("。") in line and ("建议：" in line or MUST_OUT_ADVICE in line)
    if vid in {u.visit_id for u in out}:
        line = lines[[u.visit_id for u in out].index(vid)]
        assert f"{vid} {FAR}（信访件 {no}，地点已改，原地点 {old}）：" in line


def test_w11b_must_out_lines_leave_out_optional_stops_and_say_what_to_do_without_a_suggestion() -> None:
    from planner.domain import Unassigned, Visit

    visits = {"V1": Visit("V1", 117.4, 24.3, 45, must=True, case_nos=("A-1", "A-2"), label="山格镇隆庆村"),
              "V2": Visit("V2", 117.4, 24.3, 45, case_nos=("A-3",), label="文峰镇三坪村")}
    left = (Unassigned("V1", "capacity", "必访点无法排入：1 个组日的运力不够（都已排满）"),
            Unassigned("V2", "capacity", "1 个组日的运力不够。建议：增加一个工作日"))
    assert must_out_lines(left, visits, moved={"A-2": "平和县小溪镇西林村"}) == [
        f"V1 山格镇隆庆村（信访件 A-1、A-2，地点已改，原地点 平和县小溪镇西林村）：必访点无法排入：1 个组日的运力不够"
        f"（都已排满）。{MUST_OUT_ADVICE}"]
