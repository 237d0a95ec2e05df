"""Rights of the 选件 hand-over: every function of ``planner.selection.handover`` and ``.memory`` that writes an
audit row (an action someone takes) is listed here with the action it needs, and every role without that action is
refused it (nothing written); the page buttons that call them have their row in ``authorisation.MATRIX``. A new
audited function or button without a row fails here.
On SQLite and PostgreSQL (``engine``)."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from planner.domain import Team, Visit
from planner.errors import PermissionDenied
from planner.office import authorisation as authz
from planner.office.security import Actor
from planner.routing.advice import PlanRequest
from planner.selection import handover, memory
from planner.selection.handover import HandOver
from planner.store.database import session_scope
from planner.store.models import AuditRow, SettingRow

ROOT = Path(__file__).resolve().parents[2]
ROLES = {"admin": Actor("b_admin", "admin"), "coordinator": Actor("b_coord", "coordinator"),
         "leader": Actor("b_lead", "leader", team_ids=("T1",)), "officer": Actor("b_off", "officer", team_ids=("T1",))}
TEAMS = (Team("T1", "第一检查组", 117.65, 24.51), Team("T2", "第二检查组", 117.31, 24.37))
TRIP = PlanRequest(dt.date(2026, 12, 7), 2, ("T1", "T2"))
VISITS = (Visit("V001", 117.64, 24.5, 60, case_nos=("BR-01",)), Visit("V002", 117.32, 24.4, 60, case_nos=("BR-02",)))
OFFER = HandOver("b_coord", "", "coordinator", dt.datetime(2026, 12, 5, 1, 0), ("T1",))

#: Every writing function of planner/selection/handover.py: the action it needs and how a test calls it.
WRITERS = {
    "hand_over": ("hand_over", lambda s, a: handover.hand_over(s, a, VISITS, TRIP, TEAMS)),
    "reassign": ("hand_over", lambda s, a: handover.reassign(s, a, "V001", "T2", TEAMS)),
    "adopt": ("plan", lambda s, a: memory.adopt(s, a, OFFER, VISITS[:1])),
    "keep_own": ("plan", lambda s, a: handover.keep_own(s, a, OFFER.at, offer=OFFER)),
}
#: The page buttons that call them, by widget key.
BUTTONS = {"sel_build": "plan", "sel_ho_move": "hand_over", "sel_ho_adopt": "plan", "sel_ho_keep": "plan"}


def test_every_audited_function_of_the_hand_over_is_listed() -> None:
    writers = set()
    for name in ("handover.py", "memory.py"):
        src = (ROOT / "planner" / "selection" / name).read_text(encoding="utf-8")
        writers |= {n.name for n in ast.parse(src).body if isinstance(n, ast.FunctionDef)
                    and not n.name.startswith("_") and "audit.record(" in (ast.get_source_segment(src, n) or "")}
    assert writers == set(WRITERS)


def test_every_hand_over_button_has_its_row_in_the_matrix() -> None:
    src = (ROOT / "pages" / "selection.py").read_text(encoding="utf-8")
    keys = set(re.findall(r"\.button\((?:[^()]|\([^()]*\))*?key=\"(sel_[a-z_]+)\"", src))
    assert keys == set(BUTTONS)
    for key, action in BUTTONS.items():
        assert authz.entry("action", key).action == action


@pytest.mark.parametrize("name", sorted(WRITERS))
@pytest.mark.parametrize("role", sorted(ROLES))
def test_roles_without_the_action_are_refused_and_nothing_is_written(engine, name: str, role: str) -> None:
    action, call = WRITERS[name]
    actor = ROLES[role]
    if authz.is_allowed(actor, action):
        return
    with session_scope(engine) as s:  # a standing hand-over to move, by the coordinator
        handover.hand_over(s, ROLES["coordinator"], VISITS, TRIP, TEAMS)
    with session_scope(engine) as s:
        before = (s.scalar(select(func.count()).select_from(AuditRow)),
                  sorted((r.key, str(r.value)) for r in s.scalars(select(SettingRow))))
    with session_scope(engine) as s, pytest.raises(PermissionDenied, match="无权"):
        call(s, actor)
    with session_scope(engine) as s:
        after = (s.scalar(select(func.count()).select_from(AuditRow)),
                 sorted((r.key, str(r.value)) for r in s.scalars(select(SettingRow))))
    assert after == before


def test_leaders_and_officers_may_not_hand_over_nor_move() -> None:
    assert {r for r, a in ROLES.items() if authz.is_allowed(a, "hand_over")} == {"admin", "coordinator"}
