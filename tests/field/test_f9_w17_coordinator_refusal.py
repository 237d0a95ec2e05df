"""Walk W17 (4): an officer editing on the phone a visit record a COORDINATOR had corrected was told
干部不能改动组长更正过的内容……由组长在“回访跟踪 › 走访结果”中更正 — the coordinator was called the 组长, and the
officer was sent to the leader. The refusal now names the corrector's role and name and asks them."""

from __future__ import annotations

import pytest

from planner.errors import RecordHeldError
from planner.field.day import TeamDay, save_stop_outcome
from planner.followup.outcomes import correct_outcome, stored_outcomes
from planner.store.database import session_scope
from planner.store.models import UserRow
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _saved

CASE = "ZZ2026-0101"


def _corrected_by(engine, monkeypatch, username: str, name: str, role: str) -> tuple[TeamDay, int]:
    day = TeamDay(MONDAY, "T1", _saved(engine, monkeypatch))
    with session_scope(engine) as s:
        save_stop_outcome(s, day, CASE, result="visited", households=4, findings="已入户核实", who="li",
                          actor=OFFICER_T1, today=MONDAY)
        s.add(UserRow(username=username, display_name=name, role=role, password_hash="x",
                      team_ids=["T1"] if role == "leader" else []))
    with session_scope(engine) as s:
        rec = stored_outcomes(s, CASE)[0]
        o = rec.outcome
        fixed = type(o)(**{**{f: getattr(o, f) for f in o.__dataclass_fields__}, "households_visited": 5,
                           "findings": "复核：入户 5 户次。"})
        correct_outcome(s, rec.outcome_id, fixed, who=username, expected_version=rec.version, today=MONDAY)
    with session_scope(engine) as s:
        return day, stored_outcomes(s, CASE)[0].version


def _refusal(engine, day, version) -> str:
    with pytest.raises(RecordHeldError) as refused, session_scope(engine) as s:
        save_stop_outcome(s, day, CASE, result="visited", households=5, findings="我补充的核查情况", who="li",
                          actor=OFFICER_T1, today=MONDAY, expected_version=version)
    return str(refused.value)


def test_a_coordinators_correction_is_said_to_be_the_coordinators(engine, monkeypatch) -> None:
    day, version = _corrected_by(engine, monkeypatch, "xtc", "徐协调", "coordinator")
    said = _refusal(engine, day, version)
    assert "已由 徐协调（xtc） 于" in said, said
    assert "干部不能改动协调员更正过的内容" in said, said
    assert "请联系协调员 徐协调（xtc），由其在“回访跟踪 › 走访结果”中更正" in said, said
    assert "组长" not in said, said


def test_a_leaders_correction_still_names_the_leader(engine, monkeypatch) -> None:
    day, version = _corrected_by(engine, monkeypatch, "lead", "黄组长", "leader")
    said = _refusal(engine, day, version)
    assert "干部不能改动组长更正过的内容" in said and "协调员" not in said, said
    assert "请联系组长 黄组长（lead），由其在“回访跟踪 › 走访结果”中更正" in said, said
