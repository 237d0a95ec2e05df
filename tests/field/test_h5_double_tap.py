"""Walk W10 M1: a double tap on 保存 of a stop's form on the phone saved once, and the second tap — sent by the same
form, drawn before the first save — was refused in red (已被他人修改…没有保存, 走访结果未保存) though nothing had
changed. A save the record already holds is the same save: it is accepted as saved; another value still is not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.errors import ConflictError
from planner.field.day import TeamDay, save_stop_outcome
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import VisitOutcomeRow
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _saved


def _save(engine, day, *, households=3, findings="已入户核实", expected_version=None) -> int:
    with session_scope(engine) as s:
        return save_stop_outcome(s, day, "ZZ2026-0101", result="visited", households=households, findings=findings,
                                 who="li", actor=OFFICER_T1, today=MONDAY, expected_version=expected_version)


def _rows(engine) -> list[tuple[int, int, int]]:
    with session_scope(engine) as s:
        return [(r.id, r.version, r.households_visited) for r in s.scalars(select(VisitOutcomeRow))]


def test_a_double_tap_on_save_is_one_save_and_is_not_refused(engine, monkeypatch) -> None:
    pid = _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        set_plan_status(s, pid, PlanStatus.ISSUED, who="boss")
    day = TeamDay(MONDAY, "T1", pid)
    first = _save(engine, day)
    assert _save(engine, day) == first  # the second tap: the form showed no record (expected_version None)
    assert _rows(engine) == [(first, 1, 3)]

    # A correction tapped twice: the second carries the version the form was loaded at, which the first moved on.
    assert _save(engine, day, households=5, expected_version=1) == first
    assert _save(engine, day, households=5, expected_version=1) == first
    assert _rows(engine) == [(first, 2, 5)]

    # Other values on a form that showed an older version are still somebody else's change to look at first.
    with pytest.raises(ConflictError, match="已由他人登记或修改"):
        _save(engine, day, households=7, expected_version=1)
    with pytest.raises(ConflictError, match="已由他人登记或修改"):
        _save(engine, day, households=7)
    assert _rows(engine) == [(first, 2, 5)]
