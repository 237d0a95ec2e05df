"""选件: the score is monotone in each component, same-village cases merge, groups/skills/回避 carry through."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt

import pytest

from planner.domain import Location, PetitionCase, Precision, Team, TeamMember, VisitType
from planner.errors import InputError
from planner.selection.ranking import (
    CaseSignals,
    SelectionWeights,
    VisitOptions,
    build_visits,
    capacity_estimate,
    estimate_people_affected,
    filter_ranked,
    rank_cases,
    recusal_reasons,
    score_case,
    signals_from_db,
    write_visits_csv,
)
from planner.store.models import CaseRow, ClusterMember, ClusterRow, FollowUpRow

TODAY = dt.date(2026, 12, 1)
TUTIAN = Location(117.30, 24.36, "平和县", "350628", "山格镇", "350628103", "土田村", "350628103201", Precision.VILLAGE)
OTHER_VILLAGE = dataclasses.replace(TUTIAN, village="隘头村", village_code="350628103202")
NANJING = Location(117.36, 24.52, "南靖县", "350627", "山城镇", "350627100", "", "", Precision.TOWN)


def make_case(case_no: str = "C1", **kw) -> PetitionCase:
    base = dict(case_no=case_no, received_date=dt.date(2026, 11, 1), content="反映村干部侵占补贴", category="村务财务",
                location=TUTIAN, address_text="平和县山格镇土田村")
    base.update(kw)
    return PetitionCase(**base)


def rank_of(target: PetitionCase, other: PetitionCase, **kw) -> int:
    ranked = rank_cases([other, target], today=TODAY, **kw)
    return next(r.rank for r in ranked if r.case.case_no == target.case_no)


@pytest.mark.parametrize("days_earlier", [1, 10, 30, 59, 80, 120])
def test_closer_deadline_never_ranks_lower(days_earlier: int) -> None:
    later = make_case("A", received_date=dt.date(2026, 11, 20))
    sooner = make_case("B", received_date=dt.date(2026, 11, 20) - dt.timedelta(days=days_earlier))
    s_later, _ = score_case(later, today=TODAY)
    s_sooner, _ = score_case(sooner, today=TODAY)
    assert s_sooner >= s_later


@pytest.mark.parametrize(
    ("field", "low", "high"),
    [
        ("repeat_count", 1, 4),
        ("repeat_span_days", 0, 300),
        ("cluster_size", 1, 12),
        ("systemic", False, True),
        ("return_visit_due", None, TODAY),
        ("rectification_due", None, TODAY - dt.timedelta(days=3)),
    ],
)
def test_score_monotone_in_each_signal(field: str, low, high) -> None:
    case = make_case(received_date=dt.date(2026, 10, 15))
    base = CaseSignals(repeat_count=2) if field == "repeat_span_days" else CaseSignals()
    s_low, _ = score_case(case, today=TODAY, signals=dataclasses.replace(base, **{field: low}))
    s_high, _ = score_case(case, today=TODAY, signals=dataclasses.replace(base, **{field: high}))
    assert s_high > s_low


def test_severity_people_and_site_visit_components() -> None:
    mild = make_case(category="其他", content="反映路灯不亮")
    grave = make_case(category="扶贫资金", content="反映路灯不亮")
    assert score_case(grave, today=TODAY)[0] > score_case(mild, today=TODAY)[0]
    many = make_case(content="林业站向数万林农收取保证金")
    few = make_case(content="林业站向林农收取保证金")
    assert score_case(many, today=TODAY)[0] > score_case(few, today=TODAY)[0]
    no_site = dataclasses.replace(few, needs_site_visit=False)
    total, comps = score_case(no_site, today=TODAY)
    assert total < score_case(few, today=TODAY)[0]
    assert any(c.name == "site_visit" and c.points < 0 for c in comps)


@pytest.mark.parametrize(("text", "expected"), [("数万林农", 20000), ("涉及37户村民", 37), ("1.2万名群众", 12000),
                                                ("无数字", 0), ("上百户农户", 100)])
def test_estimate_people_affected(text: str, expected: int) -> None:
    assert estimate_people_affected(text) == expected


def test_rank_reasons_and_filters() -> None:
    urgent = make_case("U", received_date=dt.date(2026, 9, 20), location=NANJING)
    calm = make_case("K", received_date=dt.date(2026, 11, 28))
    done = make_case("D", status="resolved")
    ranked = rank_cases([calm, urgent, done], today=TODAY)
    assert [r.case.case_no for r in ranked] == ["U", "K"]
    assert ranked[0].rank == 1
    assert "已超期" in ranked[0].reason()
    only_nj = filter_ranked(ranked, today=TODAY, county_codes=["350627"])
    assert [r.case.case_no for r in only_nj] == ["U"]
    assert [r.case.case_no for r in filter_ranked(ranked, today=TODAY, deadline_states=["overdue"])] == ["U"]


def test_weights_validation() -> None:
    with pytest.raises(InputError, match="选件权重 deadline"):
        SelectionWeights(deadline=-1)
    with pytest.raises(InputError, match="不认识的选件权重"):
        SelectionWeights.from_mapping({"speed": 3})
    heavy = SelectionWeights.from_mapping({"deadline": 400})
    old = make_case("O", received_date=dt.date(2026, 9, 1))
    new = make_case("N", received_date=dt.date(2026, 11, 30))
    assert score_case(old, today=TODAY, weights=heavy)[0] - score_case(new, today=TODAY, weights=heavy)[0] > 100


def test_capacity_estimate() -> None:
    assert capacity_estimate(5, 5) == 5 * 5 * ((540 - 90 - 45) // 100)
    assert capacity_estimate(0, 5) == 0
    with pytest.raises(InputError):
        capacity_estimate(-1, 2)


def test_capacity_estimate_of_a_trip_starting_this_afternoon() -> None:
    """Re-walk: 选件 at 16:30 for a trip starting today counted a full day for today."""
    full = capacity_estimate(2, 3)
    per_day = full // 6
    assert capacity_estimate(2, 3, first_day_min=0) == 2 * 2 * per_day  # the shift is over: today holds nothing
    assert capacity_estimate(2, 3, first_day_min=-30) == 2 * 2 * per_day
    afternoon = capacity_estimate(2, 3, first_day_min=240)  # 13:30 with a shift to 17:30
    assert 2 * 2 * per_day < afternoon < full
    assert capacity_estimate(2, 3, first_day_min=540) == full  # before the shift starts
    assert capacity_estimate(2, 1, first_day_min=60) == 0  # an hour left: no visit fits with the drive home


def test_same_village_cases_merge_and_service_grows() -> None:
    a, b = make_case("A"), make_case("B", category="林业")
    c = make_case("C", location=OTHER_VILLAGE, address_text="平和县山格镇隘头村")
    build = build_visits(rank_cases([a, b, c], today=TODAY), today=TODAY)
    by_cases = {v.case_nos: v for v in build.visits}
    merged = next(v for k, v in by_cases.items() if len(k) == 2)
    single = next(v for k, v in by_cases.items() if len(k) == 1)
    assert set(merged.case_nos) == {"A", "B"}
    assert merged.service_min == 60 + 30
    assert single.service_min == 60
    assert set(merged.skills) == {"finance", "forestry"}
    assert build.visit_of_case()["C"] == single.visit_id
    brief = next(b for b in build.briefs if b.visit_id == merged.visit_id)
    assert len(brief.checklist) == 5 and len(brief.summaries) == 2


def test_case_without_point_is_skipped_with_reason() -> None:
    lost = make_case("X", location=Location(county="平和县", county_code="350628", precision=Precision.COUNTY))
    build = build_visits([lost], today=TODAY)
    assert build.visits == ()
    assert build.skipped[0][0] == "X" and "坐标" in build.skipped[0][1]
    # Where it can be fixed: 案件地图 calibrates a point; the import page edits no address (walk I).
    assert "案件地图" in build.skipped[0][1] and "导入页" not in build.skipped[0][1]


def test_hotspot_cases_in_one_town_become_a_same_day_group() -> None:
    a = make_case("A")
    c = make_case("C", location=OTHER_VILLAGE, address_text="平和县山格镇隘头村")
    d = make_case("D", location=NANJING, address_text="南靖县山城镇")
    sig = {k: CaseSignals(hotspot_id="H7") for k in ("A", "C", "D")}
    build = build_visits(rank_cases([a, c, d], today=TODAY, signals=sig), today=TODAY)
    groups = {v.case_nos[0]: v.group for v in build.visits}
    assert groups["A"] == groups["C"] == "H7@350628103"
    assert groups["D"] == ""


def test_recusal_exclusions_reach_visits() -> None:
    local = TeamMember("M1", "林建华", hometown_county_code="350628")
    posted = TeamMember("M2", "陈思远", former_postings=("350628103",))
    named = TeamMember("M3", "王大明")
    related = TeamMember("M4", "赵六", relations=("山格镇林业站",))
    clean = TeamMember("M5", "黄雅琴", hometown_county_code="350623")
    team = Team("T1", "一组", 117.6, 24.5, members=(local, posted, named, related, clean))
    case = make_case(content="反映山格镇林业站站长王大明收取保证金", reported_units=("山格镇林业站",))
    assert recusal_reasons(clean, case) == []
    assert all(recusal_reasons(m, case) for m in (local, posted, named, related))
    (visit,) = build_visits([case], today=TODAY, teams=[team]).visits
    assert set(visit.excluded_members) == {"M1", "M2", "M3", "M4"}


def test_overdue_is_must_and_return_visit_pinned() -> None:
    overdue = make_case("O", received_date=dt.date(2026, 8, 1))
    returned = make_case("R", status="resolved", location=NANJING, address_text="南靖县山城镇")
    sig = {"R": CaseSignals(return_visit_due=TODAY, preferred_team_id="T2")}
    build = build_visits(rank_cases([overdue, returned], today=TODAY, signals=sig), today=TODAY)
    v = {x.case_nos[0]: x for x in build.visits}
    assert v["O"].must and v["O"].priority >= 4
    assert v["R"].visit_type is VisitType.RETURN and v["R"].team_id == "T2"
    off = build_visits(rank_cases([returned], today=TODAY, signals=sig), today=TODAY,
                       options=VisitOptions(pin_return_team=False))
    assert off.visits[0].team_id == ""


def test_write_visits_csv_contract(tmp_path) -> None:
    case = make_case(content="=HYPERLINK(\"http://x\")")
    build = build_visits([case], today=TODAY, options=VisitOptions(window_start_min=540, window_end_min=1020))
    path = write_visits_csv(build.visits, tmp_path / "visits.csv")
    with path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:5] == ["编号", "经度", "纬度", "核查分钟", "优先级"]
    assert rows[0]["时间窗开始"] == "09:00" and rows[0]["信访件"] == "C1"
    assert float(rows[0]["经度"]) == pytest.approx(117.30)
    assert rows[0]["最迟日期"] == case.due_date().isoformat()


def test_signals_from_db(session) -> None:
    rows = [
        CaseRow(case_no="P1", received_date=dt.date(2026, 1, 5), deadline=dt.date(2026, 3, 6), content="a",
                petitioner_key="k1", county_code="350628"),
        CaseRow(case_no="P2", received_date=dt.date(2026, 4, 5), deadline=dt.date(2026, 6, 4), content="a",
                petitioner_key="k1", county_code="350628"),
        CaseRow(case_no="Q1", received_date=dt.date(2026, 2, 5), deadline=dt.date(2026, 4, 6), content="b",
                county_code="350627"),
    ]
    session.add_all(rows)
    session.flush()
    session.add(ClusterRow(id="I1", kind="issue", label="保证金", systemic=True))
    session.flush()
    session.add_all([ClusterMember(cluster_id="I1", case_id=rows[0].id), ClusterMember(cluster_id="I1",
                                                                                       case_id=rows[2].id)])
    session.add(FollowUpRow(case_id=rows[2].id, kind="return_visit", due_date=dt.date(2026, 12, 5),
                            preferred_team_id="T3"))
    session.commit()
    sig = signals_from_db(session)
    assert sig["P1"].repeat_count == 2 and sig["P1"].repeat_span_days == 90
    assert sig["P1"].cluster_size == 2 and sig["P1"].cluster_counties == 2 and sig["P1"].systemic
    assert sig["Q1"].return_visit_due == dt.date(2026, 12, 5) and sig["Q1"].preferred_team_id == "T3"


def test_handled_case_has_no_deadline_pressure() -> None:
    old_resolved = make_case("R", received_date=dt.date(2026, 3, 1), status="resolved")
    _total, comps = score_case(old_resolved, today=TODAY, signals=CaseSignals(return_visit_due=TODAY))
    deadline = next(c for c in comps if c.name == "deadline")
    assert deadline.points == 0 and "已化解" in deadline.reason
    assert "已超期" not in rank_cases([old_resolved], today=TODAY, signals={"R": CaseSignals(return_visit_due=TODAY)})[
        0].reason()


def test_return_visit_pin_dropped_when_first_team_cannot_take_it() -> None:
    returned = make_case("R", status="resolved", category="林业", location=NANJING, address_text="南靖县山城镇")
    sig = {"R": CaseSignals(return_visit_due=TODAY, preferred_team_id="T2")}
    no_forestry = Team("T2", "二组", 117.6, 24.5, members=(TeamMember("M2", "乙", skills=("finance",)),))
    forestry = Team("T3", "三组", 117.3, 24.4, members=(TeamMember("M3", "丙", skills=("forestry",)),))
    ranked = rank_cases([returned], today=TODAY, signals=sig)
    assert build_visits(ranked, today=TODAY, teams=[no_forestry, forestry]).visits[0].team_id == ""
    able = Team("T2", "二组", 117.6, 24.5, members=(TeamMember("M2", "乙", skills=("forestry",)),))
    assert build_visits(ranked, today=TODAY, teams=[able, forestry]).visits[0].team_id == "T2"


@pytest.mark.parametrize(("category", "skills"), [
    ("林业", ("forestry",)), ("征地拆迁", ("land",)), ("征地", ("land",)), ("村务", ("finance",)),
    ("财务", ("finance",)), ("土地", ("land",)), ("民政", ("social",)), ("干部作风", ()), ("其他", ()),
])
def test_a_plain_category_an_office_writes_needs_the_skill_it_names(category, skills):
    """The walk: letters categorised just 财务 or 土地 needed no 专长 and skipped the skill check silently."""
    from planner.selection.ranking import skills_for_category

    assert skills_for_category(category) == skills


def test_a_deadline_after_the_chosen_days_still_bounds_the_visit() -> None:
    """Walk G: 选件 chose 12-07 + 5 days, so a letter due 12-12 got no latest date; 路线规划 then moved the start to
    12-14 and planned it on 12-17, after its deadline, without a word."""
    from planner.routing import build_problem, solve
    from tests.routing.conftest import PLAIN, team

    case = make_case("D", deadline=dt.date(2026, 12, 12))
    build = build_visits(rank_cases([case], today=TODAY), today=TODAY)
    (v,) = build.visits
    assert v.latest_date == dt.date(2026, 12, 12)
    crew = team("A", members=(TeamMember("a1", "甲", skills=tuple(v.skills)),))
    problem = build_problem(build.visits, [crew], start_date=dt.date(2026, 12, 14), days=3, travel=PLAIN)
    plan = solve(problem, time_limit_s=1, seed=0)
    assert not plan.routes
    (u,) = plan.unassigned
    assert u.reason_code == "deadline_before_start" and "2026-12-12" in u.reason


def test_a_deadline_passed_by_the_first_day_is_an_overdue_letters() -> None:
    """Walk B: on 12-04, for a trip from 12-21, a letter due 12-07 got 12-07 as its last day and was left out of the
    plan, while letters overdue since October were planned first."""
    today = dt.date(2026, 12, 4)
    soon = make_case("S", deadline=dt.date(2026, 12, 7))
    (late,) = build_visits(rank_cases([soon], today=today), today=today, start=dt.date(2026, 12, 21)).visits
    assert late.latest_date is None and late.must  # overdue by the first day: visited first, like any overdue
    (near,) = build_visits(rank_cases([soon], today=today), today=today, start=dt.date(2026, 12, 7)).visits
    assert near.latest_date == dt.date(2026, 12, 7) and not near.must  # a trip that can still meet it is bound


def test_an_office_that_records_no_skills_does_not_plan_by_them() -> None:
    """Walk A: on a new installation (five teams, nobody's 专长 entered) 选件 required the 专长 guessed from each
    letter's category, and the first plan placed no visit at all."""
    case = make_case("F", category="林业")
    assert build_visits([case], today=TODAY).visits[0].skills  # the category does suggest a skill
    bare = [Team("T1", "第一检查组", 117.6, 24.5, members=(TeamMember("a", "甲"),)),
            Team("T2", "第二检查组", 117.6, 24.5)]
    assert build_visits([case], today=TODAY, teams=bare).visits[0].skills == ()
    skilled = [bare[0], Team("T2", "第二检查组", 117.6, 24.5, members=(TeamMember("b", "乙", skills=("law",)),))]
    assert build_visits([case], today=TODAY, teams=skilled).visits[0].skills  # an office that uses them keeps them
