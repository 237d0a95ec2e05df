"""Ending demo mode removes the demo data (every table, one transaction) and leaves the office's own rows alone."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from planner.domain import VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.intake.demo_seed import load_demo_if_empty
from planner.intake.register import import_register
from planner.office import audit, security
from planner.store import demo_data
from planner.store.database import session_scope
from planner.store.models import (
    AuditRow,
    Base,
    CaseRow,
    ClusterDecision,
    ClusterMember,
    ClusterRow,
    ImportBatch,
    PlaceRow,
    PlanCase,
    PlanRow,
    RejectedRow,
    SettingRow,
)
from planner.store.teams import load_teams, save_team

REGISTER = Path(__file__).resolve().parent / "data" / "registers" / "normal_utf8.csv"
PASSWORD = "Office-Admin-2026"


def _rows(engine) -> dict[str, set[str]]:
    """Every row of every table of the metadata, as text (JSON values are not hashable)."""
    with engine.connect() as conn:
        return {t.name: {repr(tuple(r)) for r in conn.execute(t.select())} for t in Base.metadata.sorted_tables}


def _add_demo_visitor_rows(engine) -> None:
    """What a demo visitor leaves besides the loader's rows: a plan, a cluster, a decision, a corrected place."""
    with session_scope(engine) as s:
        security.mark_demo_data(s)
        ids = list(s.scalars(select(CaseRow.id).order_by(CaseRow.id).limit(3)))
        batch = s.scalar(select(ImportBatch.id).where(ImportBatch.imported_by == "demo"))
        s.add(RejectedRow(batch_id=batch, row_number=9, column="编号", reason="编号为空", raw={}))
        plan = PlanRow(name="演示计划", created_by="demo", start_date=dt.date(2026, 3, 2), days=1)
        s.add(plan)
        s.flush()
        s.add_all([PlanCase(plan_id=plan.id, case_id=c, visit_id=f"v{c}") for c in ids])
        s.add(ClusterRow(id="issue-demo", kind="issue", label="演示问题"))
        s.flush()
        s.add_all([ClusterMember(cluster_id="issue-demo", case_id=c) for c in ids])
        s.add(ClusterDecision(action="merge", payload={"clusters": ["issue-demo"]}, who="demo"))
        s.add(PlaceRow(level="village", name="演示村", source="corrected", lon=117.6, lat=24.5, created_by="demo"))


def _add_office_rows(engine) -> None:
    """The office's own data, written before demo mode ends (possible with XIAFANG_DEMO=1 or the CLI)."""
    own = REGISTER.read_text(encoding="utf-8").replace("ZZXF-", "BGS-").encode("utf-8")
    import_register(engine, own, filename="本单位登记表.csv", who="clerk")
    with session_scope(engine) as s:
        cases = list(s.scalars(select(CaseRow).where(CaseRow.case_no.like("BGS-%")).order_by(CaseRow.id)))
        assert len(cases) >= 3
        record_outcome(s, VisitOutcome(cases[0].case_no, dt.date(2026, 1, 10), "visited", team_id="T1",
                                       findings="属实"), who="clerk")
        plan = PlanRow(name="本单位计划", created_by="clerk", start_date=dt.date(2026, 3, 2), days=1)
        s.add(plan)
        s.flush()
        s.add(PlanCase(plan_id=plan.id, case_id=cases[1].id, visit_id="v1"))
        s.add(ClusterRow(id="issue-office", kind="issue", label="本单位问题"))
        s.flush()
        s.add(ClusterMember(cluster_id="issue-office", case_id=cases[2].id))
        s.add(ClusterDecision(action="merge", payload={"clusters": ["issue-office"]}, who="clerk"))
        s.add(PlaceRow(level="village", name="本单位村", source="imported", lon=117.7, lat=24.6, created_by="clerk"))
        s.add(SettingRow(key="office_note", value={"x": 1}))
        # The office edited one demo team: it is the office's team now and stays.
        team = load_teams(s, team_ids=("T2",))[0]
        save_team(s, dataclasses.replace(team, name="本单位第二组"))


def test_ending_demo_mode_leaves_no_demo_row_and_every_office_row(engine, monkeypatch) -> None:
    monkeypatch.setenv(security.DEMO_ENV, "1")  # the office's rows exist already: demo sign-in is forced on
    assert load_demo_if_empty(engine, letters=60) is True
    _add_demo_visitor_rows(engine)
    demo = _rows(engine)
    # The demo really filled the tables this test is about (so that an empty result cannot pass by accident).
    filled = {name for name, rows in demo.items() if rows}
    assert {"cases", "petitioners", "case_history", "visit_outcomes", "feedback", "followups", "record_history",
            "import_batches", "rejected_rows", "teams", "team_members", "plans", "plan_cases", "clusters",
            "cluster_members", "cluster_decisions", "places", "settings"} <= filled

    _add_office_rows(engine)
    before = _rows(engine)
    office = {name: rows - demo[name] for name, rows in before.items()}
    assert office["cases"] and office["plans"] and office["visit_outcomes"] and office["teams"]

    with session_scope(engine) as s:
        admin = security.end_demo(s, security.DEMO_ACTOR, "chief", PASSWORD)
        removed = s.info["demo_data_removed"]
    after = _rows(engine)

    for table in Base.metadata.sorted_tables:
        # The log keeps what happened during the demo; the teams stay as shells (checked below).
        if table.name in ("audit_log", "teams", "team_members"):
            continue
        left = demo[table.name] & after[table.name]
        assert not left, f"demo rows left in {table.name}: {sorted(left)[:3]}"
        assert office[table.name] <= after[table.name], f"office rows removed from {table.name}"
    # The built-in teams stay (the office's renamed T2 keeps its name) and no fictional member is left anywhere,
    # not even on the team the office edited.
    with session_scope(engine) as s:
        teams = {t.team_id: t for t in load_teams(s, active_only=False)}
    assert sorted(teams) == ["T1", "T2", "T3", "T4", "T5"] and teams["T2"].name == "本单位第二组"
    assert all(not t.members for t in teams.values()) and not after["team_members"]
    assert removed["cases"] == 60 and removed["plans"] == 1 and removed["imports"] == 1 and removed["teams"] == 0
    assert removed["members"] == 12
    assert removed["clusters"] == 2 and removed["places"] == 1 and removed["records"] > 60

    with session_scope(engine) as s:
        assert not demo_data.demo_data_present(s)
        rows = s.scalars(select(AuditRow).where(AuditRow.action == "demo_data_removed")).all()
        assert [(r.username, r.detail["removed"]["cases"]) for r in rows] == [(admin.username, 60)]
        text = audit.describe({"at": rows[0].at, "username": "chief", "action": "demo_data_removed",
                               "detail": rows[0].detail})
        assert "清除演示数据" in text and "信访件 60 件" in text


def test_removal_is_one_transaction(engine, monkeypatch) -> None:
    monkeypatch.delenv(security.DEMO_ENV, raising=False)
    assert load_demo_if_empty(engine, letters=30) is True
    before = _rows(engine)
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        security.end_demo(s, security.DEMO_ACTOR, "chief", PASSWORD)
        raise RuntimeError("the page failed before commit")
    assert _rows(engine) == before  # nothing removed, no account created


def test_no_demo_again_once_an_administrator_exists(engine, monkeypatch) -> None:
    monkeypatch.delenv(security.DEMO_ENV, raising=False)
    assert load_demo_if_empty(engine, letters=30) is True
    with session_scope(engine) as s:
        security.end_demo(s, security.DEMO_ACTOR, "chief", PASSWORD)
    with session_scope(engine) as s:
        assert s.scalar(select(CaseRow.id).limit(1)) is None  # the office now has no letter at all
    assert load_demo_if_empty(engine, letters=30) is False  # and the demo does not come back
    with session_scope(engine) as s:
        assert s.scalar(select(CaseRow.id).limit(1)) is None
        assert not security.demo_sign_in_allowed(s)


def test_the_cli_first_administrator_also_ends_the_demo(engine, monkeypatch) -> None:
    # `users bootstrap` is the other way to the first account: the demo letters must not survive it either.
    monkeypatch.delenv(security.DEMO_ENV, raising=False)
    monkeypatch.delenv(security.ADMIN_PASSWORD_ENV, raising=False)
    assert load_demo_if_empty(engine, letters=30) is True
    with session_scope(engine) as s:
        assert security.bootstrap_admin(s) is not None
    with session_scope(engine) as s:
        assert s.scalar(select(CaseRow.id).limit(1)) is None
        removed = s.scalars(select(AuditRow).where(AuditRow.action == "demo_data_removed")).one()
        assert removed.detail["removed"]["cases"] == 30
        # Issue (walk H): the first admin emptied the teams table; now the five built-in teams stay, without
        # the demo's fictional members, so nothing is 回避 because of invented people.
        teams = load_teams(s, active_only=False)
    assert [(t.team_id, t.name) for t in teams] == [("T1", "第一检查组"), ("T2", "第二检查组"), ("T3", "第三检查组"),
                                                    ("T4", "第四检查组"), ("T5", "第五检查组")]
    assert all(t.members == () and t.base_name for t in teams)
    assert "虚构成员" in demo_data.removed_text(removed.detail["removed"])


def test_first_administrator_on_an_install_that_never_held_the_demo_gets_team_shells(engine, monkeypatch) -> None:
    monkeypatch.delenv(security.ADMIN_PASSWORD_ENV, raising=False)
    with session_scope(engine) as s:
        security.bootstrap_admin(s)
    with session_scope(engine) as s:
        teams = load_teams(s)
    assert [t.team_id for t in teams] == ["T1", "T2", "T3", "T4", "T5"] and not any(t.members for t in teams)


def test_an_office_member_on_a_demo_team_stays(engine, monkeypatch) -> None:
    from planner.domain import TeamMember

    monkeypatch.delenv(security.DEMO_ENV, raising=False)
    assert load_demo_if_empty(engine, letters=30) is True
    with session_scope(engine) as s:
        t1 = load_teams(s, team_ids=("T1",))[0]
        save_team(s, dataclasses.replace(t1, members=(*t1.members, TeamMember("m-own", "张真实", ("law",)))))
    with session_scope(engine) as s:
        security.end_demo(s, security.DEMO_ACTOR, "chief", PASSWORD)
    with session_scope(engine) as s:
        t1 = load_teams(s, team_ids=("T1",))[0]
    assert [m.name for m in t1.members] == ["张真实"]


def test_only_the_demo_teams_carry_fictional_members() -> None:
    """Every fallback that names the built-in teams (路线规划 with no saved team, 回访跟踪's names) gets shells."""
    from planner.store.teams import default_teams, demo_members, demo_teams

    assert [t.team_id for t in default_teams()] == [t.team_id for t in demo_teams()]
    assert not any(t.members for t in default_teams())
    assert len(demo_members()) == 12 and "黄雅琴" in {m.name for m in demo_members()}
