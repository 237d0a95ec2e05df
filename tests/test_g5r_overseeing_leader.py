"""Walk W8: a 组长 account assigned to 第一 and 第二检查组 (for its rights: plan, read and record both) was listed as
成员 of both teams on the same day, at stops far apart, on 行程, the PDF and the Excel sheet. A leader account on two or
more teams is named once on each sheet as the team's 负责组长, after the crew, and is no one crew's member; a leader
account on one team still goes out with it as a member."""

from __future__ import annotations

import dataclasses
import io

from openpyxl import load_workbook

from planner.field import export_plan
from planner.field.model import build_itinerary, enrich_cases
from planner.office import security
from planner.store.database import session_scope
from planner.store.models import UserRow
from planner.store.teams import save_team, team_people, with_people
from tests.office import _seed


def _two_teams_one_leader(engine):
    """The seed's plan with T1 and T2 member-less; officer 张丽 on T1, 李明 on T2, leader 王强 on both."""
    _seed.seed(engine)
    doc = _seed.plan_doc()
    bare = {t: dataclasses.replace(doc.teams[t], members=()) for t in ("T1", "T2")}
    with session_scope(engine) as s:
        for t in bare.values():
            save_team(s, t)
        security.create_user(s, "ganbu1", _seed.PASSWORD, role="officer", team_ids=["T1"], display_name="张丽")
        security.create_user(s, "ganbu2", _seed.PASSWORD, role="officer", team_ids=["T2"], display_name="李明")
        security.create_user(s, "zuzhang", _seed.PASSWORD, role="leader", team_ids=["T1", "T2"], display_name="王强")
    return dataclasses.replace(doc, teams={**doc.teams, **bare})


def _xlsx_text(data: bytes) -> str:
    return " ".join(str(c.value) for ws in load_workbook(io.BytesIO(data)).worksheets
                    for r in ws.iter_rows() for c in r if c.value is not None)


def test_a_leader_on_two_teams_is_their_lead_not_a_member_of_both_crews(engine) -> None:
    doc = _two_teams_one_leader(engine)
    with session_scope(engine) as s:
        enriched = enrich_cases(doc, s)
        header = {t: build_itinerary(enriched, t, _seed.DAY).members_text() for t in ("T1", "T2")}
        files = {(t, fmt): export_plan(doc, fmt, team_id=t, date=_seed.DAY, session=s)
                 for t in ("T1", "T2") for fmt in ("pdf", "xlsx")}
    assert header == {"T1": "张丽；负责组长：王强", "T2": "李明；负责组长：王强"}
    for t, crew in (("T1", "张丽"), ("T2", "李明")):
        xlsx, pdf = _xlsx_text(files[t, "xlsx"]), _seed.texts(files[t, "pdf"])
        assert f"成员：{crew}；负责组长：王强" in xlsx, xlsx
        assert "王强、" not in xlsx and "、王强" not in xlsx
        flat = "".join(pdf.split())
        assert f"{crew}；负责组长：王强" in flat and "王强、" not in flat and "、王强" not in flat, flat


def test_a_plan_saved_with_the_leader_among_its_accounts_reads_the_accounts_as_they_are_now(engine) -> None:
    """路线规划 saves a member-less team with its accounts as members (for 回避): the sheets of such a plan still
    name the two-team leader as 负责组长, and 回避 still knows the leader's name."""
    doc = _two_teams_one_leader(engine)
    with session_scope(engine) as s:
        teams = with_people(s, list(doc.teams.values()))
        by_id = {t.team_id: t for t in teams}
        assert "王强" in {m.name for m in by_id["T1"].members} and "王强" in {m.name for m in by_id["T2"].members}
        saved = dataclasses.replace(doc, teams=by_id)
        it = build_itinerary(enrich_cases(saved, s), "T2", _seed.DAY)
    assert it.members_text() == "李明；负责组长：王强"


def test_a_leader_on_one_team_goes_out_with_it(engine) -> None:
    doc = _two_teams_one_leader(engine)
    with session_scope(engine) as s:
        s.query(UserRow).filter_by(username="zuzhang").update({"team_ids": ["T2"]})
        s.flush()
        people = team_people(s, list(doc.teams.values()))
        it = build_itinerary(enrich_cases(doc, s), "T2", _seed.DAY)
    assert [m.name for m in people["T1"]] == ["张丽"]
    assert it.members_text() == "李明、王强"
