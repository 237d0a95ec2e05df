"""Walk 2 (F5): ZZ2026-015, the first letter of a writer whose later letters 071 and 072 plan #1 visits, was said by
选件 and 关联分析 to be "already in plan #1" and left out, with no plan row and no word on the team's sheet: planned
nowhere. Only a later letter that waits for the planned one is carried by its visit; a chain chosen in part is
completed, so one visit carries every letter and its outcome settles them all."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.domain import CaseStatus
from planner.selection.ranking import build_visits
from planner.selection.repeats import carried_along, whole_chains
from planner.store.cases import load_cases, resent_letters, set_status
from planner.store.database import session_scope
from planner.store.lifecycle import set_plan_status
from planner.store.models import CaseRow, PlanCase, PlanRow
from planner.store.plans import case_holders

DAY = dt.date(2026, 12, 7)


def _case(no: int, received: dt.date, petitioner: str = "p-lin") -> CaseRow:
    return CaseRow(case_no=f"ZZ2026-{no:03d}", received_date=received, deadline=received + dt.timedelta(days=60),
                   content="鹿溪村征地补偿款未足额发放", category="征地拆迁", county="漳浦县", county_code="350623",
                   town="绥安镇", town_code="350623100", village="鹿溪村", village_code="350623100201",
                   lon=117.61, lat=24.12, precision="village", petitioner_key=petitioner)


def _plan(engine, nos: tuple[str, ...], status: str = "issued") -> int:
    with session_scope(engine) as s:
        plan = PlanRow(name="2026-12-07 起 3 天", start_date=DAY, days=3, status="draft", created_by="lead")
        s.add(plan)
        s.flush()
        for no in nos:
            case_id = s.scalar(select(CaseRow.id).where(CaseRow.case_no == no))
            s.add(PlanCase(plan_id=plan.id, case_id=case_id, visit_id="V001", team_id="T2", visit_date=DAY, seq=1))
        s.flush()
        if status != "draft":
            set_plan_status(s, plan.id, status, who="lead")
        return plan.id


def _reported_planned_have_rows(s, nos: list[str]) -> None:
    """Every letter 选件/关联分析 report as in a plan has a plan row; every letter reported as carried along is
    listed on the sheet of a planned letter of its chain (重复件，随本件一并办结)."""
    held = case_holders(s, nos)
    carried, _ = carried_along(s, [n for n in nos if n not in held])
    rows = set(s.scalars(select(CaseRow.case_no).join(PlanCase, PlanCase.case_id == CaseRow.id)
                         .where(PlanCase.team_id != "", PlanCase.visit_date.is_not(None))))
    assert set(held) <= rows
    planned = sorted(rows)
    on_sheets = {c for later in resent_letters(s, planned).values() for c in later}
    assert set(carried) <= on_sheets, (carried, on_sheets)
    assert not set(carried) & rows


def test_the_first_letter_of_a_planned_chain_is_not_said_to_be_in_the_plan(engine) -> None:
    with session_scope(engine) as s:
        s.add_all([_case(15, dt.date(2026, 11, 6)), _case(72, dt.date(2026, 11, 29)), _case(71, dt.date(2026, 12, 2)),
                   _case(80, dt.date(2026, 12, 4)), _case(9, dt.date(2026, 11, 1), "p-other")])
    _plan(engine, ("ZZ2026-071", "ZZ2026-072"))
    with session_scope(engine) as s:
        nos = ["ZZ2026-009", "ZZ2026-015", "ZZ2026-080"]
        carried, apart = carried_along(s, nos)
        # 080 came after the planned 072 and waits for it: that visit carries it. 015 came first: no plan has it.
        assert set(carried) == {"ZZ2026-080"}
        assert set(apart) == {"ZZ2026-015"}
        assert "不在该计划内" in apart["ZZ2026-015"] and "计划 #" in apart["ZZ2026-015"]
        _reported_planned_have_rows(s, [*nos, "ZZ2026-071", "ZZ2026-072"])
        # Another team's leader is not told the letter's number or plan.
        _, hidden = carried_along(s, nos, scope=frozenset({"T1"}))
        assert "ZZ2026-07" not in hidden["ZZ2026-015"] and "不在该计划内" in hidden["ZZ2026-015"]


def test_a_chain_chosen_in_part_is_visited_once_and_its_outcome_settles_every_letter(engine) -> None:
    with session_scope(engine) as s:
        s.add_all([_case(15, dt.date(2026, 11, 6)), _case(72, dt.date(2026, 11, 29)), _case(71, dt.date(2026, 12, 2)),
                   _case(9, dt.date(2026, 11, 1), "p-other")])
    with session_scope(engine) as s:
        added = whole_chains(s, ["ZZ2026-071", "ZZ2026-072"], ["ZZ2026-015", "ZZ2026-009"])
        assert added == {"ZZ2026-015": "ZZ2026-071"}
        cases = load_cases(s, case_nos=["ZZ2026-071", "ZZ2026-072", *added])
    build = build_visits(cases, today=DAY)
    assert [sorted(v.case_nos) for v in build.visits] == [["ZZ2026-015", "ZZ2026-071", "ZZ2026-072"]]
    pid = _plan(engine, build.visits[0].case_nos)
    with session_scope(engine) as s:
        assert not case_holders(s, ["ZZ2026-015"]) == {}
        _reported_planned_have_rows(s, ["ZZ2026-015", "ZZ2026-071", "ZZ2026-072"])
        set_plan_status(s, pid, "in_progress", who="lead")
        set_status(s, "ZZ2026-015", CaseStatus.RESOLVED, who="off")  # the visit's outcome, on the first letter
        statuses = dict(s.execute(select(CaseRow.case_no, CaseRow.status)).all())
    assert statuses["ZZ2026-071"] == statuses["ZZ2026-072"] == "resolved"
    assert statuses["ZZ2026-009"] == "registered"
