"""Dates and numbers in the audit log's sentences (and the notes that name a visit's day) are set off by a space,
as everywhere else in the app (新增 3 件, 账户锁定到 2026-12-07 08:45): the log read 登记2026-12-08 的首次走访结果."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from planner.field.day import TeamDay, other_days_text
from planner.followup.outcomes import record_outcome, recorded_visit_note
from planner.office import audit
from tests.test_followup import add_case, visited

AT = dt.datetime(2026, 12, 8, 1, 0)
#: A Chinese character right against a digit, either way round.
GLUED = re.compile(r"[\u4e00-\u9fff][0-9]|[0-9][\u4e00-\u9fff]")
TEAMS = {"T1": "第一检查组"}
OUTCOME = {"outcome": 7, "visit_date": "2026-12-08", "kind": "investigation", "result": "visited", "resolved": True,
           "team": "T1", "plan": 3}
SAMPLES = [
    {"action": "outcome_record", "case_nos": ["ZZJ2026-0941"], "detail": OUTCOME},
    {"action": "outcome_record", "case_nos": ["ZZJ2026-0941"], "detail": {**OUTCOME, "kind": "return"}},
    {"action": "outcome_correct", "case_nos": ["ZZJ2026-0941"],
     "detail": {**OUTCOME, "result": "postponed", "resolved": False, "fields": ["result", "households_visited"]}},
    {"action": "login_failed", "detail": {"user": "li", "why": "bad_password", "failures": 5,
                                          "locked_until": "2026-12-08T01:15:00"}},
    {"action": "import", "reason": "登记表.xlsx", "detail": {"imported": 9, "updated": 1, "rejected": 0}},
    {"action": "plan_status", "detail": {"plan": 3, "plan_name": "平和县下访", "from": "draft", "to": "issued"}},
    {"action": "team_create", "detail": {"team": "T1", "members": 3}},
    {"action": "backup", "detail": {"file": "xiafang.bak", "rows": 120}},
]


@pytest.mark.parametrize("entry", SAMPLES, ids=lambda e: e["action"])
def test_an_audit_sentence_sets_its_dates_and_numbers_off_by_a_space(entry: dict) -> None:
    full = {"at": AT, "username": "wu1", "case_nos": [], "reason": "", "detail": {}, **entry}
    text = audit.describe(full, names={"wu1": "吴干部"}, team_names=TEAMS)
    assert not GLUED.search(text), text


def test_an_outcome_sentence_names_the_visit_day_spaced() -> None:
    text = audit.describe({"at": AT, "username": "wu1", "action": "outcome_record", "case_nos": ["ZZJ2026-0941"],
                           "detail": OUTCOME}, names={"wu1": "吴干部"}, team_names=TEAMS)
    assert "吴干部（wu1）登记 2026-12-08 的首次走访结果：已走访，问题已解决，第一检查组" in text, text
    fixed = audit.describe({"at": AT, "username": "zhou", "action": "outcome_correct", "case_nos": ["ZZJ2026-0941"],
                            "detail": {**OUTCOME, "fields": ["households_visited"]}}, team_names=TEAMS)
    assert "更正 2026-12-08 的首次走访结果（现为已走访，问题已解决，第一检查组）：改了入户户次" in fixed, fixed


def test_the_notes_that_name_another_days_visit_space_the_date(session) -> None:
    day = dt.date(2026, 12, 7)
    add_case(session, "C1")
    record_outcome(session, visited("C1", day), who="wu1", today=day)
    note = recorded_visit_note(session, "C1", day, "T1", today=day + dt.timedelta(days=1), team_names=TEAMS)
    assert note.startswith("第一检查组 2026-12-07 已登记过这件的走访") and not GLUED.search(note), note
    said = other_days_text(TeamDay(dt.date(2026, 12, 9), "T1", 2), [(TeamDay(dt.date(2026, 12, 9), "T1", 1), 2)],
                           day)
    assert said.startswith("本组 12-09 在计划 #1 还有 2 个走访点") and not GLUED.search(said), said
