"""One vocabulary: skills and categories accepted by Chinese name or code, and a person's teams.csv with Chinese
skills plans the visits 选件 wrote."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import Location, PetitionCase, Precision
from planner.routing import build_problem, solve
from planner.routing.planio import read_teams_csv, read_visits_csv
from planner.selection.ranking import build_visits, rank_cases, write_visits_csv
from planner.vocabulary import (
    CATEGORIES,
    SKILLS,
    category_name,
    skill_code,
    skill_codes,
    skill_name,
    split_terms,
)

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("written", "code"),
    [("林业", "forestry"), ("forestry", "forestry"), ("Forestry", "forestry"), (" 财务 ", "finance"),
     ("财会", "finance"), ("征地", "land"), ("民政社保", "social"), ("环保", "environment"), ("心理", "心理")],
)
def test_skill_written_either_way_gives_one_code(written: str, code: str) -> None:
    assert skill_code(written) == code


def test_skill_lists_split_on_what_people_type() -> None:
    assert split_terms("林业;财务") == ("林业", "财务")
    assert skill_codes("林业；财务、forestry, 土地") == ("forestry", "finance", "land")
    assert skill_codes(["财务", "finance"]) == ("finance",)


def test_every_term_has_a_chinese_name_and_a_unique_code() -> None:
    for terms in (SKILLS, CATEGORIES):
        codes = [t.code for t in terms]
        assert len(codes) == len(set(codes))
        assert all(t.code.isascii() and not t.name.isascii() for t in terms)
    assert {skill_name(t.code) for t in SKILLS} == {t.name for t in SKILLS}


@pytest.mark.parametrize(("written", "name"), [("林业", "林业"), ("forestry", "林业"), ("village_finance", "村务财务"),
                                               ("其它", "其他"), ("自定义类别", "自定义类别"), ("", "")])
def test_category_written_either_way_gives_the_stored_name(written: str, name: str) -> None:
    assert category_name(written) == name


def _case(no: str, category: str, lon: float, lat: float) -> PetitionCase:
    return PetitionCase(
        case_no=no, received_date=TODAY - dt.timedelta(days=30), content=f"{category}问题", category=category,
        location=Location(lon=lon, lat=lat, county="平和县", county_code="350628", precision=Precision.VILLAGE),
    )


def test_teams_csv_with_chinese_skills_plans_the_visits_selection_wrote(tmp_path) -> None:
    """选件 -> visits.csv; a person writes teams.csv with skills 林业;财务 -> every visit is planned."""
    cases = [
        _case("A1", "林业", 117.30, 24.40), _case("A2", "村务财务", 117.33, 24.37),
        _case("A3", "扶贫资金", 117.36, 24.35), _case("A4", "林业", 117.28, 24.42),
    ]
    build = build_visits(rank_cases(cases, today=TODAY), today=TODAY)
    assert {s for v in build.visits for s in v.skills} == {"forestry", "finance"}
    visits_csv = write_visits_csv(build.visits, tmp_path / "visits.csv")
    assert "林业" in visits_csv.read_text(encoding="utf-8-sig")  # people read the skills in Chinese
    teams_csv = tmp_path / "teams.csv"
    teams_csv.write_text(
        "id,name,depot_lon,depot_lat,shift_start,shift_end,break_earliest,break_latest,break_min,skills\n"
        "T1,第一检查组,117.31,24.36,08:30,17:30,11:30,12:30,60,林业;财务\n",
        encoding="utf-8",
    )
    visits, teams = read_visits_csv(visits_csv), read_teams_csv(teams_csv)
    assert teams[0].all_skills() == {"forestry", "finance"}
    plan = solve(build_problem(visits, teams, start_date=dt.date(2026, 12, 7), days=2), time_limit_s=2, seed=0)
    planned = {s.visit_id for r in plan.routes for s in r.stops}
    assert not [u for u in plan.unassigned if u.reason_code == "no_skill"]
    assert planned == {v.visit_id for v in visits}


def test_teams_csv_without_the_skill_still_says_so(tmp_path) -> None:
    """The check is real: a team lacking 林业 cannot take the forestry visit."""
    build = build_visits(rank_cases([_case("B1", "林业", 117.30, 24.40)], today=TODAY), today=TODAY)
    visits_csv = write_visits_csv(build.visits, tmp_path / "visits.csv")
    teams_csv = tmp_path / "teams.csv"
    teams_csv.write_text(
        "id,name,depot_lon,depot_lat,shift_start,shift_end,break_earliest,break_latest,break_min,skills\n"
        "T1,第一检查组,117.31,24.36,08:30,17:30,,,0,财务\n",
        encoding="utf-8",
    )
    plan = solve(build_problem(read_visits_csv(visits_csv), read_teams_csv(teams_csv), start_date=dt.date(2026, 12, 7),
                               days=1), time_limit_s=1, seed=0)
    assert [u.reason_code for u in plan.unassigned] == ["no_skill"]
