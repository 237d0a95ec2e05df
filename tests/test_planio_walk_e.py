"""visits.csv as walk E wrote it: every bad row named as ``第 N 行 列：问题`` (full-width colon, the column named)."""

from __future__ import annotations

import re

import pytest

from planner.domain import Visit
from planner.errors import InputError
from planner.intake.plan_files import read_visits
from planner.routing.planio import check_visits_for_office, read_visits_csv

HEADER = "编号,经度,纬度,核查分钟,优先级,最早日期,最迟日期,时间窗开始,时间窗结束\n"


def _faults(tmp_path, rows: str, reader=read_visits) -> list[str]:
    path = tmp_path / "visits.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(InputError) as info:
        reader(path)
    return str(info.value).splitlines()


@pytest.mark.parametrize(("row", "column", "words"), [
    ("V3,117.30,24.35,-5,3,,,,", "核查分钟", "-5"),
    ("V3,117.30,24.35,60,3,2026-12-10,2026-12-08,,", "最早日期、最迟日期", "晚于"),
    ("V3,117.30,24.35,60,3,,,09:00,", "时间窗开始、时间窗结束", "同时填写"),
    ("V3,117.30,24.35,60,3,,,11:00,09:00", "时间窗开始、时间窗结束", "晚于"),
    (",117.30,24.35,60,3,,,,", "编号", "不能为空"),
])
def test_a_fault_the_visit_itself_finds_names_row_and_column(tmp_path, row, column, words) -> None:
    (line,) = _faults(tmp_path, row + "\n")
    assert re.search(rf"第 2 行 {column}：.*{re.escape(words)}", line), line
    assert "走访点 V3" not in line and ": " not in line


def test_every_fault_of_a_file_is_one_line_in_one_form(tmp_path) -> None:
    lines = _faults(tmp_path, "V2,abc,24.35,60,3,,,,\nV3,117.30,24.35,-5,3,,,,\nV4,117.30,24.35,60,9,,,,\n",
                    read_visits_csv)
    assert len(lines) == 3
    assert all(re.search(r"visits\.csv 第 \d 行 \w+：", line) for line in lines), lines


def test_a_repeated_id_names_both_rows(tmp_path) -> None:
    lines = _faults(tmp_path, "V1,117.30,24.35,60,3,,,,\nV2,117.31,24.35,60,3,,,,\nV1,117.32,24.35,60,3,,,,\n")
    assert lines == [f"{tmp_path / 'visits.csv'} 第 4 行 编号：'V1' 与第 2 行重复，每个走访点的编号须不同"]


@pytest.mark.parametrize(("lon", "lat", "words"), [
    ("121.50", "31.20", "距最近县界约"),  # Shanghai: planned, and left out only as "往返车程约 1914 分钟"
    ("118.10", "24.48", "厦门"),  # Xiamen island is a neighbour's land, not Zhangzhou's coast
])
def test_a_point_outside_zhangzhou_is_refused_with_row_and_values(tmp_path, lon, lat, words) -> None:
    (line,) = _faults(tmp_path, f"V1,117.30,24.35,60,3,,,,\nV5,{lon},{lat},60,3,,,,\n")
    assert re.search(rf"第 3 行 经度、纬度：{lon}, {lat} 不在漳州市范围内.*{words}", line), line


def test_points_in_zhangzhou_and_on_its_islands_are_read(tmp_path) -> None:
    path = tmp_path / "visits.csv"
    # 平和 小溪; 东山岛; 龙海 角美
    path.write_text(HEADER + "V1,117.30,24.35,60,3,,,,\nV2,117.43,23.70,60,3,,,,\nV3,117.91,24.51,60,3,,,,\n",
                    encoding="utf-8")
    assert [v.visit_id for v in read_visits(path)] == ["V1", "V2", "V3"]


TEAMS = {"T1": "第一检查组", "T3": "第三检查组"}


def test_a_team_that_does_not_exist_is_named_with_the_office_s_teams() -> None:
    visits = [Visit("V1", 117.30, 24.35, 60), Visit("V7", 117.30, 24.35, 60, team_id="T9")]
    check = check_visits_for_office(visits, teams=TEAMS, where="visits_bad.csv")
    assert check.errors == ("visits_bad.csv 第 3 行 指定组：没有检查组 'T9'，"
                            "本单位的检查组有：第一检查组（T1）、第三检查组（T3）",)


def test_a_team_written_by_its_name_is_read_as_its_code() -> None:
    visits = [Visit("V1", 117.30, 24.35, 60, team_id="第三检查组"), Visit("V2", 117.30, 24.35, 60, team_id="T1")]
    check = check_visits_for_office(visits, teams=TEAMS)
    assert not check.errors and [v.team_id for v in check.visits] == ["T3", "T1"]


def test_a_skill_nobody_has_is_named_with_its_row_and_what_follows() -> None:
    visits = [Visit("V1", 117.30, 24.35, 60, skills=("林业",)), Visit("V6", 117.30, 24.35, 60, skills=("魔法",))]
    check = check_visits_for_office(visits, teams=TEAMS, where="visits_bad.csv")
    assert not check.errors and len(check.visits) == 2
    (warning,) = check.warnings
    assert warning.startswith("visits_bad.csv 第 3 行 所需专长：魔法 不是已知的专长，没有检查组具备，"
                              "走访点 V6 将排不进计划")
    assert "林业、财务" in warning and "不要求魔法专长" in warning
    assert not check_visits_for_office(visits, teams=TEAMS, skills={"魔法"}).warnings  # a team that has it
