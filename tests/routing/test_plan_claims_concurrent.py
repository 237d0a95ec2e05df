"""Two leaders saving (re-saving, issuing) plans with the same letters at the same moment: one letter, one plan.

Walk V (two app servers on one PostgreSQL database): leader1 and leader2 each planned the same 20 unplanned letters
and clicked 保存方案 within a second. Both saves went through, both plans held the letters and both were issued: two
teams sent to the same petitions. Re-planning the two plans at once then ended in a raw ``StaleDataError`` for one
leader. Each test below starts its writers together (a barrier) in separate sessions, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from planner.errors import ConflictError, InputError
from planner.routing import solve
from planner.routing.planio import PlanDocument
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, plan_revision, plan_status, set_plan_status
from planner.store.models import CaseRow, PlanCase, PlanRow
from planner.store.plan_claims import PlanConflictError
from planner.store.plans import resave_plan, save_plan

DAY = dt.date(2026, 12, 7)


def _letters(engine, nos) -> None:
    with session_scope(engine) as s:
        for no in nos:
            s.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31)))


_SOLVED: dict[int, object] = {}


def _doc(problem, nos, team_id: str = "A") -> PlanDocument:
    """``problem``'s three visits, one letter each (``nos``), solved (once) and routed to team ``team_id``."""
    visits = [dataclasses.replace(v, case_nos=(no,)) for v, no in zip(problem.visits, nos, strict=True)]
    plan = _SOLVED.get(len(problem.visits)) or _SOLVED.setdefault(len(problem.visits), solve(problem, time_limit_s=1))
    team = dataclasses.replace(problem.teams[0], team_id=team_id, name=f"第{team_id}组")
    plan = dataclasses.replace(plan, routes=tuple(dataclasses.replace(r, team_id=team_id) for r in plan.routes))
    return PlanDocument(plan, {v.visit_id: v for v in visits}, {team_id: team}, {})


def _together(engine, *jobs):
    """Run each job ``f(session)`` in its own thread and transaction, all released at once; results or errors."""
    barrier = threading.Barrier(len(jobs))
    out: list[object] = [None] * len(jobs)

    def run(i, job):
        try:
            with session_scope(engine) as s:
                barrier.wait(timeout=30)
                out[i] = job(s)
        except Exception as exc:  # what the page would get
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return out


@pytest.fixture()
def eng(engine):
    return engine


def _holders(engine) -> dict[str, list[int]]:
    """Case number -> plans routing it."""
    with session_scope(engine) as s:
        rows = s.execute(select(CaseRow.case_no, PlanCase.plan_id).join(PlanCase, PlanCase.case_id == CaseRow.id)
                         .where(PlanCase.team_id != "", PlanCase.visit_date.is_not(None))).all()
    out: dict[str, list[int]] = {}
    for no, pid in rows:
        out.setdefault(no, []).append(pid)
    return out


@pytest.mark.parametrize("round_", range(3))
def test_two_leaders_saving_the_same_letters_at_once_one_plan_holds_them(eng, pinghe_three, round_) -> None:
    nos = [f"ZZ{round_}-{i}" for i in range(1, 4)]
    _letters(eng, nos)
    one, two = _doc(pinghe_three, nos, "A"), _doc(pinghe_three, nos, "B")
    got = _together(eng, lambda s: save_plan(s, one, name="第一组方案", who="leader1"),
                    lambda s: save_plan(s, two, name="第二组方案", who="leader2"))
    saved = [g for g in got if isinstance(g, int)]
    refused = [g for g in got if isinstance(g, PlanConflictError)]
    assert len(saved) == 1 and len(refused) == 1, got
    (pid,) = saved
    text = str(refused[0])
    assert text.startswith("保存失败：") and f"已由计划 #{pid}" in text and all(no in text for no in nos)
    assert "请刷新后重新规划" in text
    assert _holders(eng) == {no: [pid] for no in nos}  # every letter on one plan: the winner's
    with session_scope(eng) as s:  # the refused save wrote nothing
        assert s.scalar(select(func.count()).select_from(PlanRow)) == 1
        assert set(s.scalars(select(CaseRow.status).where(CaseRow.case_no.in_(nos)))) == {"selected"}


def test_a_save_after_another_plan_took_the_letters_is_refused_whole(eng, pinghe_three) -> None:
    nos = ["ZZ-1", "ZZ-2", "ZZ-3"]
    _letters(eng, [*nos, "ZZ-4"])
    with session_scope(eng) as s:
        first = save_plan(s, _doc(pinghe_three, nos, "A"), name="第一组方案", who="leader1")
    with session_scope(eng) as s, pytest.raises(PlanConflictError) as err:
        save_plan(s, _doc(pinghe_three, ["ZZ-4", "ZZ-2", "ZZ-3"], "B"), name="第二组方案", who="leader2")
    assert f"信访件 ZZ-2、ZZ-3 已由计划 #{first}「第一组方案」（第A组，草稿）安排" in str(err.value)
    assert "ZZ-4" not in str(err.value)
    assert _holders(eng) == {no: [first] for no in nos}  # ZZ-4 was not taken either: nothing written
    with session_scope(eng) as s:  # its own plan re-saved with its letters is no conflict
        version = plan_status(s, first)[1]
        resave_plan(s, first, _doc(pinghe_three, nos, "A"), who="leader1", expected_version=version)
    with session_scope(eng) as s:  # a finished plan holds nothing any more
        s.get(PlanRow, first).status = "done"
    with session_scope(eng) as s:
        second = save_plan(s, _doc(pinghe_three, ["ZZ-4", "ZZ-2", "ZZ-3"], "B"), name="第二组方案", who="leader2")
    assert _holders(eng)["ZZ-4"] == [second]


def test_the_same_plan_re_saved_twice_at_once_gives_one_version_and_a_clear_refusal(eng, pinghe_three) -> None:
    nos = ["ZZ-1", "ZZ-2", "ZZ-3"]
    _letters(eng, nos)
    with session_scope(eng) as s:
        pid = save_plan(s, _doc(pinghe_three, nos, "A"), name="方案", who="leader1")
        set_plan_status(s, pid, PlanStatus.ISSUED, who="leader1")
    with session_scope(eng) as s:
        version = plan_status(s, pid)[1]
    doc = _doc(pinghe_three, nos, "A")
    got = _together(eng, lambda s: resave_plan(s, pid, doc, who="leader1", expected_version=version),
                    lambda s: resave_plan(s, pid, doc, who="leader2", expected_version=version))
    assert not any(isinstance(g, StaleDataError) for g in got), got
    assert sum(isinstance(g, int) for g in got) == 1, got
    (refusal,) = [g for g in got if isinstance(g, ConflictError)]
    assert "你的改动没有保存" in str(refusal)
    with session_scope(eng) as s:
        assert plan_revision(s, pid) == 2  # one new version, not two, not none
    assert _holders(eng) == {no: [pid] for no in nos}


def test_a_stale_write_during_a_save_reads_as_a_message(eng, pinghe_three, monkeypatch) -> None:
    """Whatever flush meets another write of the same row, the page gets words, not SQLAlchemy's error."""
    _letters(eng, ["ZZ-1", "ZZ-2", "ZZ-3"])

    def stale(*_a, **_k):
        raise StaleDataError("UPDATE statement on table 'cases' expected to update 1 row(s); 0 were matched.")

    monkeypatch.setattr("planner.store.plans._index_cases", stale)
    with session_scope(eng) as s, pytest.raises(ConflictError, match=r"计划已被他人修改.*请刷新后重试"):
        save_plan(s, _doc(pinghe_three, ["ZZ-1", "ZZ-2", "ZZ-3"], "A"), name="方案", who="leader1")


def _legacy_plan(s, name: str, team: str, nos) -> int:
    """A draft written before saves checked the letters (two drafts routing the same letters, as walk V left)."""
    row = PlanRow(name=name, start_date=DAY, days=1, status="draft", created_by="leader")
    s.add(row)
    s.flush()
    ids = dict(s.execute(select(CaseRow.case_no, CaseRow.id)).all())
    for i, no in enumerate(nos):
        s.add(PlanCase(plan_id=row.id, case_id=ids[no], visit_id=f"V{i}", team_id=team, visit_date=DAY, seq=i))
    s.flush()
    return row.id


def test_two_plans_with_the_same_letters_issued_at_once_only_one_is_issued(eng) -> None:
    nos = ["ZZ-1", "ZZ-2", "ZZ-3"]
    _letters(eng, nos)
    with session_scope(eng) as s:
        s.execute(CaseRow.__table__.update().values(status="selected"))
        a, b = _legacy_plan(s, "第一组", "T1", nos), _legacy_plan(s, "第二组", "T2", nos)
    got = _together(eng, lambda s: set_plan_status(s, a, PlanStatus.ISSUED, who="leader1"),
                    lambda s: set_plan_status(s, b, PlanStatus.ISSUED, who="leader2"))
    assert sum(g is PlanStatus.ISSUED for g in got) == 1, got
    (refusal,) = [g for g in got if isinstance(g, InputError)]
    assert "不能下发" in str(refusal)
    with session_scope(eng) as s:
        assert sorted(s.scalars(select(PlanRow.status))) == ["draft", "issued"]
        assert set(s.scalars(select(CaseRow.status))) == {"planned"}
