"""teams.csv and visits.csv written by people: Chinese column names are read as the planner's, errors name them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from planner.cli import main
from planner.domain import Location, PetitionCase, Precision
from planner.errors import InputError
from planner.intake.plan_files import TEAMS_HEADERS, header_map, read_teams, read_visits
from planner.routing import build_problem, solve
from planner.selection.ranking import build_visits, rank_cases, write_visits_csv

TODAY = dt.date(2026, 12, 1)
CHINESE_TEAMS = (
    "组号,组名,基地经度,基地纬度,上班时间,下班时间,午休最早,午休最晚,午休时长（分钟）,专长,成员,每日最多走访点,基地\n"
    "一组,第一检查组,117.31,24.36,08:30,17:30,11:30,12:30,60,林业;财务,林建华;王志强,6,平和县纪委监委\n"
    "二组,第二检查组,117.40,24.40,08:00,17:00,,,0,土地,陈明,,\n"
)


def _case(no: str, category: str, lon: float, lat: float) -> PetitionCase:
    return PetitionCase(
        case_no=no, received_date=TODAY - dt.timedelta(days=30), content=f"{category}问题", category=category,
        location=Location(lon=lon, lat=lat, county="平和县", county_code="350628", precision=Precision.VILLAGE),
    )


def test_chinese_headers_give_the_same_teams_as_the_planner_columns(tmp_path) -> None:
    path = tmp_path / "检查组.csv"
    path.write_text(CHINESE_TEAMS, encoding="utf-8-sig")
    one, two = read_teams(path)
    assert (one.team_id, one.name, one.base_lon, one.base_lat) == ("一组", "第一检查组", 117.31, 24.36)
    assert (one.shift_start_min, one.shift_end_min, one.break_min) == (8 * 60 + 30, 17 * 60 + 30, 60)
    assert one.all_skills() == {"forestry", "finance"}
    assert [m.member_id for m in one.members] == ["林建华", "王志强"]
    assert (one.max_visits_per_day, one.base_name) == (6, "平和县纪委监委")
    assert two.all_skills() == {"land"} and not two.has_break


def test_a_file_saved_by_excel_on_chinese_windows_is_read(tmp_path) -> None:
    path = tmp_path / "teams.csv"
    path.write_bytes(CHINESE_TEAMS.encode("gb18030"))
    assert [t.name for t in read_teams(path)] == ["第一检查组", "第二检查组"]


def test_chinese_teams_csv_plans_the_visits_selection_wrote(tmp_path) -> None:
    """选件 writes visits.csv; a person's 检查组.csv with Chinese headers and skills plans every visit."""
    cases = [_case("A1", "林业", 117.30, 24.40), _case("A2", "村务财务", 117.33, 24.37)]
    build = build_visits(rank_cases(cases, today=TODAY), today=TODAY)
    visits = read_visits(write_visits_csv(build.visits, tmp_path / "visits.csv"))
    teams_csv = tmp_path / "检查组.csv"
    teams_csv.write_text(CHINESE_TEAMS, encoding="utf-8")
    plan = solve(build_problem(visits, read_teams(teams_csv), start_date=dt.date(2026, 12, 7), days=1),
                 time_limit_s=1, seed=0)
    assert not plan.unassigned
    assert {s.visit_id for r in plan.routes for s in r.stops} == {v.visit_id for v in visits}
    assert {r.team_id for r in plan.routes} == {"一组"}  # the only team with 林业 and 财务


def test_cli_plan_reads_chinese_teams_csv(tmp_path, capsys) -> None:
    build = build_visits(rank_cases([_case("C1", "林业", 117.30, 24.40)], today=TODAY), today=TODAY)
    visits_csv = write_visits_csv(build.visits, tmp_path / "visits.csv")
    teams_csv = tmp_path / "teams.csv"
    teams_csv.write_text(CHINESE_TEAMS, encoding="utf-8")
    out = tmp_path / "plan.json"
    code = main(["plan", "--visits", str(visits_csv), "--teams", str(teams_csv), "--start", "2026-12-07",
                 "--days", "1", "--time-limit", "1", "--out", str(out)])
    assert code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [t["name"] for t in doc["teams"]] == ["第一检查组", "第二检查组"]
    assert not doc["unassigned"]


def test_a_bad_value_is_named_by_the_file_row_and_its_chinese_column(tmp_path) -> None:
    path = tmp_path / "检查组.csv"
    path.write_text(CHINESE_TEAMS.replace("117.31", "东经117"), encoding="utf-8")
    with pytest.raises(InputError, match=r"检查组\.csv 第 2 行 基地经度：应为数字，收到 '东经117'"):
        read_teams(path)


def test_a_missing_column_says_how_it_may_be_written(tmp_path) -> None:
    path = tmp_path / "检查组.csv"
    path.write_text("组号,组名\n一组,第一检查组\n", encoding="utf-8")
    missing = r"检查组\.csv 缺少列 基地经度（depot_lon）.*列名可写作：基地经度、.*depot_lon"
    with pytest.raises(InputError, match=missing):
        read_teams(path)


def test_two_headers_for_one_field_are_refused() -> None:
    with pytest.raises(InputError, match=r"'经度'.*'基地经度'"):
        header_map(["基地经度", "经度"], TEAMS_HEADERS)
    assert header_map(["id", " 组名 ", "备注"], TEAMS_HEADERS) == {"id": "id", " 组名 ": "name"}


def test_every_bad_row_of_a_visits_file_is_named_at_once(tmp_path) -> None:
    """Walk C: a broken visits.csv told only its first fault (纬度 '24，20'); 优先级 高 and an empty 核查分钟 two
    rows further down came one upload at a time."""
    from planner.intake.plan_files import read_visits

    path = tmp_path / "走访点.csv"
    path.write_text("编号,经度,纬度,核查分钟,优先级\nA,117.4,\"24，20\",30,3\nB,117.4,24.3,30,高\nC,117.4,24.3,,2\n"
                    "D,117.4,24.3,45,必访\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_visits(path)
    text = str(err.value)
    assert "第 2 行 纬度：应为数字，收到 '24，20'" in text
    assert "第 3 行 优先级：应为 1–5 的整数或“必访”，收到 '高'" in text
    assert "第 4 行 核查分钟：不能为空" in text
    assert "第 5 行" not in text and "lat" not in text
