"""回避 for teams whose people are accounts (noticed at stop 25).

A fresh office often gives a team no member list but puts officer accounts on it; the field sheets then name
those accounts as the team's people (``team_people``). A letter naming one of them (“反映林志强…”) must not be
visited by that officer's team — 选件 read the team's member list only, found nobody and let the team take it.
The CLI ``select`` wrote 回避人员姓名 empty even for member lists.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from planner.cli import main
from planner.domain import Team, TeamMember
from planner.office.security import create_user
from planner.routing import build_problem, solve
from planner.selection.ranking import build_visits
from planner.store.cases import load_cases
from planner.store.database import session_scope
from planner.store.teams import load_teams, save_team, with_people
from tests.app._ui_data import add_case

DAY = dt.date(2026, 12, 7)
PASSWORD = "Xf-Recusal-2026!"


def _office(engine) -> None:
    with session_scope(engine) as s:
        # T1 has accounts only, T2 members of its own
        save_team(s, Team("T1", "第一检查组", 117.313, 24.363, base_name="平和县纪委监委", skills=("forestry",)))
        save_team(s, Team("T2", "第二检查组", 117.313, 24.363, base_name="平和县纪委监委",
                          skills=("forestry",), members=(TeamMember("M7", "郑海燕"),)))
        create_user(s, "lin1", PASSWORD, role="officer", team_ids=("T1",), display_name="林志强")
        create_user(s, "coord", PASSWORD, role="coordinator")
    add_case(engine, "PH-9", content="反映山格镇林志强在征地补偿中优亲厚友", deadline=DAY + dt.timedelta(days=20))
    add_case(engine, "NJ-10", content="反映郑海燕收受好处", deadline=DAY + dt.timedelta(days=20), county_code="350627",
             county="南靖县", town="山城镇", lon=117.36, lat=24.52)


def test_a_letter_naming_an_officer_account_is_kept_from_that_team(engine) -> None:
    _office(engine)
    with session_scope(engine) as s:
        teams = with_people(s, load_teams(s))
        cases = load_cases(s)
    t1 = next(t for t in teams if t.team_id == "T1")
    assert [m.name for m in t1.members] == ["林志强"]
    assert [m.name for m in next(t for t in teams if t.team_id == "T2").members] == ["郑海燕"]  # its own list kept

    build = build_visits(cases, today=DAY, teams=teams)
    excluded = {c: set(v.excluded_members) for v in build.visits for c in v.case_nos}
    assert excluded["PH-9"] & t1.member_ids() and excluded["NJ-10"] == {"M7"}
    plan = solve(build_problem(build.visits, teams, start_date=DAY, days=1), time_limit_s=1, seed=0)
    assert not plan.unassigned, [(u.visit_id, u.reason) for u in plan.unassigned]
    where = {next(iter(build.visits[[v.visit_id for v in build.visits].index(s.visit_id)].case_nos)): r.team_id
             for r in plan.routes for s in r.stops}
    assert where.get("PH-9") != "T1" and where.get("NJ-10") != "T2"
    assert where.get("PH-9") == "T2" and where.get("NJ-10") == "T1"  # each goes to the team that may take it


def test_cli_select_writes_the_names_of_those_to_stay_away(engine, tmp_path: Path, monkeypatch, capsys) -> None:
    _office(engine)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XIAFANG_PASSWORD", PASSWORD)
    out = tmp_path / "visits.csv"
    assert main(["select", "--top", "5", "--today", DAY.isoformat(), "--user", "coord", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    names = {r["信访件"]: r["回避人员"].split("（")[0] for r in rows}
    assert names == {"PH-9": "林志强", "NJ-10": "郑海燕"}, capsys.readouterr()
