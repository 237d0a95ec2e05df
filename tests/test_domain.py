"""Domain model: validation with actionable messages, deadlines, identity kept apart and masked."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from planner.domain import (
    CaseStatus,
    FollowUpTask,
    Location,
    PetitionCase,
    Petitioner,
    Plan,
    Route,
    Stop,
    Team,
    Unassigned,
    Visit,
    VisitOutcome,
    hhmm,
    parse_hhmm,
)
from planner.errors import InputError, XiafangError
from planner.office.privacy import mask_id_number, mask_name, mask_phone, safe_cell


def test_errors_are_value_errors() -> None:
    assert issubclass(InputError, XiafangError) and issubclass(XiafangError, ValueError)


@pytest.mark.parametrize(("text", "minutes"), [("08:30", 510), ("8:05", 485), ("17：30", 1050), ("24:00", 1440)])
def test_parse_hhmm(text: str, minutes: int) -> None:
    assert parse_hhmm(text) == minutes
    assert hhmm(minutes) == f"{minutes // 60:02d}:{minutes % 60:02d}"


@pytest.mark.parametrize("bad", ["8点", "25:00", "12:60", ""])
def test_parse_hhmm_rejects(bad: str) -> None:
    with pytest.raises(InputError, match="HH:MM"):
        parse_hhmm(bad, what="shift_start")


def test_case_deadline_defaults_to_60_days_and_extension() -> None:
    case = PetitionCase("C1", dt.date(2026, 1, 1), "内容")
    assert case.deadline == dt.date(2026, 3, 2)
    extended = dataclasses.replace(case, extension_days=30)
    assert extended.due_date() == dt.date(2026, 4, 1)
    assert case.deadline_state(dt.date(2026, 2, 25)) == "at_risk"
    assert case.deadline_state(dt.date(2026, 3, 3)) == "overdue"
    assert case.deadline_state(dt.date(2026, 1, 5)) == "ok"
    closed = dataclasses.replace(case, status=CaseStatus.CLOSED)
    assert closed.deadline_state(dt.date(2026, 5, 1)) == "ok"
    with pytest.raises(InputError, match="最多只能延长一次、30 天"):
        dataclasses.replace(case, extension_days=31)


def test_case_validation_messages() -> None:
    with pytest.raises(InputError, match="信访件须有编号"):
        PetitionCase(" ", dt.date(2026, 1, 1), "x")
    with pytest.raises(InputError, match="收件日期"):
        PetitionCase("C", "2026-01-01", "x")  # type: ignore[arg-type]


def test_petitioner_key_is_stable_and_opaque() -> None:
    p = Petitioner("张三", "138 1234 1234", "")
    assert p.key() == Petitioner("张三", "13812341234").key()
    assert "张三" not in p.key() and "1234" not in p.key()
    assert Petitioner(id_number="35062819800101123X").key() == Petitioner("李四", "", "35062819800101123x").key()
    assert Petitioner().key() == ""
    masked = Petitioner("张三丰", "13812341234", "35062819800101123X").masked()
    assert masked == Petitioner("张**", "138****1234", "*" * 18)


@pytest.mark.parametrize(("value", "expected"), [("=1+1", "'=1+1"), ("+86", "'+86"), ("-x", "'-x"), ("@a", "'@a"),
                                                 ("＝SUM(A1)", "'＝SUM(A1)"), ("正常", "正常"), (12, 12)])
def test_safe_cell(value, expected) -> None:
    assert safe_cell(value) == expected


def test_masks() -> None:
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_phone("0596-2345678") == "059****5678"
    assert mask_phone("2345678") == "***5678"
    assert mask_id_number("") == ""


def test_location_and_visit_validation() -> None:
    with pytest.raises(InputError, match="同时填写"):
        Location(lon=117.0)
    assert Location(117.6, 24.5).in_zhangzhou_box()
    assert not Location(113.3, 23.1).in_zhangzhou_box()  # Guangzhou
    with pytest.raises(InputError, match="超出范围"):
        Location(24.5, 117.6)  # swapped
    with pytest.raises(InputError, match="优先级"):
        Visit("V1", 117.6, 24.5, 30, priority=6)
    with pytest.raises(InputError, match="可走访时段"):
        Visit("V1", 117.6, 24.5, 30, window_start_min=600, window_end_min=500)
    with pytest.raises(InputError, match="最早走访日期"):
        Visit("V1", 117.6, 24.5, 30, earliest_date=dt.date(2026, 2, 2), latest_date=dt.date(2026, 2, 1))


def test_team_validation() -> None:
    with pytest.raises(InputError, match="下班时间须晚于上班时间"):
        Team("T1", "一组", 117.6, 24.5, shift_start_min=600, shift_end_min=500)
    with pytest.raises(InputError, match="午休"):
        Team("T1", "一组", 117.6, 24.5, break_earliest_min=800, break_latest_min=700)


def test_plan_totals_and_lookup() -> None:
    day = dt.date(2026, 12, 7)
    route = Route("T1", day, 510, 1000, (Stop("V1", 560, 560, 620, 3000, 40000), Stop("V2", 650, 660, 700, 1800,
                                                                                       20000)), 7200, 90000)
    plan = Plan("feasible", (route,))
    assert plan.route_for("T1", day) is route
    assert plan.planned_visit_ids() == {"V1", "V2"}
    assert plan.totals() == {"visits": 2, "km": 90.0, "travel_h": 2.0, "unassigned": 0}
    assert route.stops[1].wait_min == 10 and route.service_min() == 100


def test_plan_summary_is_written_as_people_in_china_write_it() -> None:
    """Found on a user walk: 路线规划 said "可行：7 个走访点, 2 条线路, 349.6 km, 车程 5.86 h, 未安排 7"."""
    day = dt.date(2026, 12, 7)
    route = Route("T1", day, 510, 1000, (Stop("V1", 560, 560, 620, 3000, 40000),), 21096, 349600)
    plan = Plan("feasible", (route,), unassigned=(Unassigned("V2", "capacity", "当天时间不够"),))
    text = plan.summary()
    assert text == "可行：1 个走访点，1 条线路，349.6 km，车程 5.9 小时，未安排 1 个"
    assert ", " not in text and " h" not in text


def test_outcome_and_followup_validation() -> None:
    with pytest.raises(InputError, match="须写明原因"):
        VisitOutcome("C1", dt.date(2026, 12, 7), "postponed")
    with pytest.raises(InputError, match="待办类型"):
        FollowUpTask("F1", "C1", "party", dt.date(2026, 12, 7))
    task = FollowUpTask("F1", "C1", "return_visit", dt.date(2026, 12, 7))
    assert task.is_overdue(dt.date(2026, 12, 8)) and not task.is_overdue(dt.date(2026, 12, 7))


def test_plan_summary_rounds_hours_once_like_the_kpi() -> None:
    """Walk C: the summary said 车程 12.6 小时 where the KPI said 12.5 (12.549 h rounded to 12.55, then to 12.6)."""
    day = dt.date(2026, 12, 7)
    travel_s = round(12.549 * 3600)
    route = Route("T1", day, 510, 1000, (Stop("V1", 560, 560, 620, 3000, 40000),), travel_s, 100000)
    assert "车程 12.5 小时" in Plan("feasible", (route,)).summary()
