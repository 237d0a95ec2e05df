"""Walk W17 (7): the coordinator changed a visit's 认定 from 不实 to 属实 (and a leader 入户 4 → 5); the officer's
phone 行程 still read 已登记：已走访 · 入户 4 户次 — no 认定, nothing to say the record had been corrected. The card
now reads the record as it stands, its 认定 included, and who of the office corrected it and when, by field names
only (no petitioner's identity)."""

from __future__ import annotations

from sqlalchemy import select

from planner.field.day import TeamDay, save_stop_outcome, stop_records
from planner.followup.outcomes import correct_outcome, stored_outcomes
from planner.office.clock import show_time
from planner.store.database import session_scope
from planner.store.models import RecordHistory, UserRow
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _officer_app, _saved

CASE = "ZZ2026-0101"
SECRET = "信访人张三丰电话13912345678"


def _recorded_then_corrected(engine, monkeypatch) -> str:
    day = TeamDay(MONDAY, "T1", _saved(engine, monkeypatch))
    with session_scope(engine) as s:
        save_stop_outcome(s, day, CASE, result="visited", households=4, findings="已入户核实", who="li",
                          actor=OFFICER_T1, today=MONDAY)
        s.add(UserRow(username="xtc", display_name="郑晓彤", role="coordinator", password_hash="x", team_ids=[]))
    with session_scope(engine) as s:
        rec = stored_outcomes(s, CASE)[0]
        o = rec.outcome
        fixed = type(o)(**{**{f: getattr(o, f) for f in o.__dataclass_fields__}, "report_true": True,
                           "households_visited": 5, "findings": f"复核属实（{SECRET}）"})
        correct_outcome(s, rec.outcome_id, fixed, who="xtc", expected_version=rec.version, today=MONDAY)
    with session_scope(engine) as s:
        return show_time(s.scalars(select(RecordHistory.at).where(RecordHistory.action == "corrected")).one())[5:]


def test_the_stop_record_says_the_finding_and_the_correction(engine, monkeypatch) -> None:
    at = _recorded_then_corrected(engine, monkeypatch)
    with session_scope(engine) as s:
        rec = stop_records(s, [CASE], MONDAY, "T1")[CASE]
    assert rec.text().startswith("已走访 · 反映属实 · 入户 5 户次"), rec.text()
    assert rec.corrected.startswith(f"协调员 郑晓彤（xtc） {at} 更正了"), rec.corrected
    assert rec.corrected.endswith("更正了认定、入户走访、核查情况"), rec.corrected  # the forms' order
    assert SECRET not in rec.corrected


def test_the_officers_phone_shows_it(engine, monkeypatch) -> None:
    at_time = _recorded_then_corrected(engine, monkeypatch)
    page = _officer_app(OFFICER_T1, MONDAY)
    page.run()
    assert not page.exception
    said = [m.value for m in page.markdown]
    assert any("已登记" in t and "反映属实" in t and "入户 5 户次" in t for t in said), said
    notes = [c.value for c in page.caption if "更正了" in c.value]
    assert notes and "协调员 郑晓彤（xtc）" in notes[0] and at_time in notes[0], notes
    assert "以上为更正后的记录" in notes[0], notes
    assert not any(SECRET in c.value for c in page.caption) and not any(SECRET in t for t in said)


def test_an_officers_own_record_has_no_correction_note(engine, monkeypatch) -> None:
    day = TeamDay(MONDAY, "T1", _saved(engine, monkeypatch))
    with session_scope(engine) as s:
        save_stop_outcome(s, day, CASE, result="visited", households=4, findings="已入户核实", who="li",
                          actor=OFFICER_T1, today=MONDAY)
    with session_scope(engine) as s:
        rec = stop_records(s, [CASE], MONDAY, "T1")[CASE]
    assert rec.corrected == "" and rec.text().startswith("已走访 · 入户 4 户次")
