"""`plan` fills plan.json's case details and member names from the office's database when one exists."""

from __future__ import annotations

import datetime as dt
import json

from planner.cli import main
from planner.domain import Team, TeamMember
from planner.store.database import get_engine, session_scope
from planner.store.models import CaseRow, PetitionerRow
from planner.store.teams import save_team, write_teams_csv

VISITS = "id,lon,lat,service_min,priority,case_nos\nV1,117.30,24.36,60,3,C1;C2\n"


def test_plan_cli_reads_cases_and_names_from_database(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(tmp_path / "data"))
    team = Team("T1", "一组", 117.65, 24.51, members=(TeamMember("M1", "林建华"),))
    with session_scope(get_engine()) as s:
        for no in ("C1", "C2"):
            row = CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                          content=f"{no} 反映林业站收取保证金", county="平和县", town="山格镇", village="土田村")
            row.petitioner = PetitionerRow(name="张三", phone="13812341234")
            s.add(row)
        save_team(s, team)
    (tmp_path / "visits.csv").write_text(VISITS, encoding="utf-8")
    write_teams_csv([team], tmp_path / "teams.csv")
    out = tmp_path / "plan.json"
    code = main(["plan", "--visits", str(tmp_path / "visits.csv"), "--teams", str(tmp_path / "teams.csv"),
                 "--start", "2026-12-07", "--days", "1", "--time-limit", "1", "--out", str(out)])
    assert code == 0
    text = out.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert set(doc["cases"]) == {"C1", "C2"}
    assert doc["cases"]["C1"]["village"] == "土田村" and doc["cases"]["C1"]["deadline"] == "2026-12-31"
    assert doc["teams"][0]["members"][0]["name"] == "林建华"
    assert "张三" not in text and "13812341234" not in text


def test_plan_cli_without_database_creates_none(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "visits.csv").write_text(VISITS, encoding="utf-8")
    write_teams_csv([Team("T1", "一组", 117.65, 24.51)], tmp_path / "teams.csv")
    out = tmp_path / "plan.json"
    assert main(["plan", "--visits", str(tmp_path / "visits.csv"), "--teams", str(tmp_path / "teams.csv"),
                 "--start", "2026-12-07", "--days", "1", "--time-limit", "1", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["cases"] == {}
    assert not (tmp_path / "data" / "xiafang.db").exists()


def test_plan_cli_says_when_must_visits_are_left_out(tmp_path, monkeypatch, capsys) -> None:
    """Walk B (M3): a plan leaving out 必访 visits printed only "可行"; the CLI now says how many were left out."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(tmp_path / "data"))
    visits = ("编号,经度,纬度,核查分钟,优先级,所需专长\n"
              "V1,117.30,24.36,60,必访,林业\nV2,117.31,24.37,60,必访,林业\nV3,117.32,24.36,60,3,\n")
    (tmp_path / "visits.csv").write_text(visits, encoding="utf-8")
    write_teams_csv([Team("T1", "一组", 117.65, 24.51)], tmp_path / "teams.csv")  # no 林业 专长
    assert main(["plan", "--visits", str(tmp_path / "visits.csv"), "--teams", str(tmp_path / "teams.csv"),
                 "--start", "2026-12-07", "--days", "1", "--time-limit", "1", "--out", str(tmp_path / "p.json")]) == 0
    assert "2 个必访点未排入" in capsys.readouterr().out
