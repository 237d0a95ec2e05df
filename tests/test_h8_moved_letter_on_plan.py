"""A register imported again that moves a letter on a plan is seen on the plan side (walk W11).

The coordinator imported a register, the leader made and issued a plan, and a second register moved ZZ-XF-2026-0124
from 龙海区榜山镇柯坑村 to 长泰区岩溪镇甘寨村: the import said only 更新 3 件, the officer's 行程 still read
下一站：… 柯坑村 and 路线规划 said nothing. Now the plan's moved letters are found from the plan (its letters' places
as planned against the letters now), named with both places, and the plan re-opened to re-plan puts the stop (or the
letter moved off a shared stop) at the place now.
"""

from __future__ import annotations

from planner.field import build_itinerary, enrich_cases
from planner.intake.register import import_register
from planner.store.cases import field_case_details, load_cases
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.moved_letters import import_moves_text, live_plan_moves, plan_moves, with_current_places
from planner.store.plans import load_plan, save_plan
from planner.store.teams import ensure_default_teams
from tests.export.test_confidential import plan_letters

HEADER = "编号,收件日期,问题类别,反映内容,地址\n"
FIRST = (HEADER
         + "H8-1,2026-11-02,涉农,反映柯坑村征地补偿款未足额发放。,龙海区榜山镇柯坑村\n"
         + "H8-2,2026-11-03,低保,反映低保名额优亲厚友。,平和县山格镇土田村\n"
         + "H8-3,2026-11-04,财务,反映土田村财务三年未公开。,平和县山格镇土田村\n"
         + "H8-4,2026-11-05,作风,反映村干部长期不在岗。,漳浦县旧镇镇浯江村\n")
MOVED = (FIRST.replace("未足额发放。,龙海区榜山镇柯坑村", "未足额发放。,长泰区岩溪镇甘寨村")
         .replace("财务三年未公开。,平和县山格镇土田村", "财务三年未公开。,漳浦县旧镇镇浯江村"))


def _issued_plan(engine) -> int:
    import_register(engine, FIRST.encode(), filename="登记表.csv", who="coord")
    with session_scope(engine) as s:
        cases = load_cases(s)
        teams = ensure_default_teams(s)
        details = field_case_details(s, [c.case_no for c in cases])
    doc = plan_letters(cases, teams, details)
    with session_scope(engine) as s:
        pid = save_plan(s, doc, name="第49周", who="boss")
        set_plan_status(s, pid, PlanStatus.ISSUED, who="boss")
    return pid


def test_h8_a_letter_moved_by_a_second_import_is_found_on_the_issued_plan(engine) -> None:
    pid = _issued_plan(engine)
    with session_scope(engine) as s:
        assert plan_moves(s, pid) == [] and live_plan_moves(s) == {}
        doc = load_plan(s, pid)
    stop_of = {no: vid for vid, v in doc.visits.items() for no in v.case_nos}
    assert stop_of["H8-2"] == stop_of["H8-3"]  # one village, one stop: H8-3 moves off it, H8-2 stays

    summary = import_register(engine, MOVED.encode(), filename="登记表（二）.csv", who="coord")
    assert summary.updated == 2
    with session_scope(engine) as s:
        moves = plan_moves(s, pid)
        by_plan = live_plan_moves(s, summary.written)
    assert {(m.case_no, m.planned, m.now, m.whole_stop) for m in moves} == {
        ("H8-1", "龙海区榜山镇柯坑村", "长泰区岩溪镇甘寨村", True),
        ("H8-3", "平和县山格镇土田村", "漳浦县旧镇镇浯江村", False)}
    assert list(by_plan) == [pid] and {m.case_no for m in by_plan[pid]} == {"H8-1", "H8-3"}
    said = import_moves_text(by_plan, {pid: "第49周"})
    assert "计划 #" in said and "H8-1：计划按 龙海区榜山镇柯坑村 排定，现为 长泰区岩溪镇甘寨村" in said
    assert "需组长重新规划" in said

    with session_scope(engine) as s:
        replan = with_current_places(s, doc, moves)
        day = with_current_places(s, enrich_cases(doc, s), moves, split=False)
    one = replan.visits[stop_of["H8-1"]]
    assert one.label == "长泰区岩溪镇甘寨村" and (one.lon, one.lat) != (doc.visits[one.visit_id].lon,
                                                                   doc.visits[one.visit_id].lat)
    shared = stop_of["H8-2"]
    assert replan.visits[shared].case_nos == ("H8-2",)
    assert replan.visits[shared + "-改址"].case_nos == ("H8-3",)
    assert replan.cases["H8-3"]["county"] == "漳浦县"
    # The officer's day: the stop reads the letter's place now (not 柯坑村), the shared stop keeps its letters.
    route = next(r for r in day.plan.routes if any(st.visit_id == stop_of["H8-1"] for st in r.stops))
    it = build_itinerary(day, route.team_id, route.date)
    stop = next(st for st in it.stops if st.visit.visit_id == stop_of["H8-1"])
    assert "甘寨村" in stop.place() and "柯坑村" not in stop.place()
    assert set(day.visits[shared].case_nos) == {"H8-2", "H8-3"}


def test_h8_a_plan_made_after_the_move_or_a_done_plan_is_not_flagged(engine) -> None:
    pid = _issued_plan(engine)
    import_register(engine, MOVED.encode(), filename="登记表（二）.csv", who="coord")
    with session_scope(engine) as s:
        set_plan_status(s, pid, PlanStatus.DONE, who="boss")
        assert live_plan_moves(s) == {}
        cases = load_cases(s)
        teams = ensure_default_teams(s)
        details = field_case_details(s, [c.case_no for c in cases])
    doc = plan_letters(cases, teams, details)
    with session_scope(engine) as s:
        again = save_plan(s, doc, name="第50周", who="boss")
        assert plan_moves(s, again) == []


def test_h8_the_cli_import_names_the_letters_it_moved_on_a_live_plan(engine, monkeypatch, tmp_path, capsys) -> None:
    from planner.cli import main

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    pid = _issued_plan(engine)
    moved = tmp_path / "登记表（二）.csv"
    moved.write_bytes(MOVED.encode())
    capsys.readouterr()
    assert main(["import", str(moved)]) == 0
    out = capsys.readouterr().out
    assert f"计划 #{pid}「第49周」" in out and "H8-1：计划按 龙海区榜山镇柯坑村 排定，现为 长泰区岩溪镇甘寨村" in out


def test_h8_a_point_corrected_after_the_plan_was_saved_is_a_move_a_point_as_planned_is_not(engine) -> None:
    from planner.office.security import Actor
    from planner.store.places import correct_point

    pid = _issued_plan(engine)
    with session_scope(engine) as s:
        doc = load_plan(s, pid)
        stop = next(v for v in doc.visits.values() if v.case_nos == ("H8-4",))
        correct_point(s, Actor("lin", "coordinator"), lon=stop.lon + 0.05, lat=stop.lat, case_no="H8-4")
    with session_scope(engine) as s:
        (moved,) = plan_moves(s, pid)
    assert (moved.case_no, moved.visit_id, moved.whole_stop) == ("H8-4", stop.visit_id, True)
    assert moved.planned == moved.now == "漳浦县旧镇镇浯江村"  # same village, another point
    assert "计划排定后位置已改（仍在 漳浦县旧镇镇浯江村" in moved.sentence()
    with session_scope(engine) as s:
        assert with_current_places(s, doc, [moved]).visits[stop.visit_id].lon == stop.lon + 0.05
