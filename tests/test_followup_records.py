"""Typed records can be corrected with history; a visit recorded twice is one visit; statistics count it once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from planner.domain import VisitOutcome, VisitType
from planner.errors import ConflictError, InputError
from planner.followup.clarification import correct_clarification, list_clarifications, record_clarification
from planner.followup.feedback import correct_feedback, feedback_for_case, record_feedback
from planner.followup.outcomes import (
    correct_outcome,
    outcome_for_visit,
    planned_visit,
    record_outcome,
    stored_outcomes,
)
from planner.followup.rectification import add_rectification, correct_rectification, list_rectifications
from planner.followup.stats import compute_stats, duplicate_visit_records
from planner.store.database import session_factory
from planner.store.history import record_history
from planner.store.models import CaseRow, PlanCase, PlanRow, VisitOutcomeRow

D = dt.date
RECEIVED = D(2026, 11, 2)  # when add_case's letters arrive unless a test says otherwise
DAY = D(2026, 12, 7)
YEAR = {"start": D(2026, 1, 1), "end": D(2026, 12, 31)}


def add_case(session, case_no: str, *, status: str = "planned", received: dt.date = RECEIVED,
             petitioner_key: str = "") -> CaseRow:
    row = CaseRow(case_no=case_no, received_date=received, deadline=received + dt.timedelta(days=60),
                  content=f"{case_no} 反映村里违规收取桉树砍伐保证金", category="林业", county="平和县",
                  county_code="350628", town="山格镇", village="土田村", lon=117.3, lat=24.4, status=status,
                  petitioner_key=petitioner_key)
    session.add(row)
    session.flush()
    return row


def visit(case_no: str, day: dt.date = DAY, *, team: str = "T1", households: int = 12, solved: int = 3,
          resolved: bool = False, **kw) -> VisitOutcome:
    return VisitOutcome(case_no=case_no, visit_date=day, result="visited", team_id=team, problem_resolved=resolved,
                        households_visited=households, problems_solved=solved, **kw)


def test_same_visit_saved_twice_is_one_record_and_counted_once(session) -> None:
    """Defect 4: saving the outcome of a visit again created a second record and 统计 counted both."""
    add_case(session, "C1")
    first = record_outcome(session, visit("C1"), who="lin")
    again = record_outcome(session, visit("C1"), who="lin")  # the same form saved twice
    assert again == first
    assert session.scalar(select(func.count()).select_from(VisitOutcomeRow)) == 1
    totals = compute_stats(session, **YEAR).totals
    assert (totals["household_visits"], totals["problems_solved"], totals["letters_taken_down"]) == (12, 3, 1)


def test_same_visit_with_other_values_is_refused_without_the_version_then_corrected_with_it(session) -> None:
    add_case(session, "C1")
    from planner.store.models import UserRow

    session.add(UserRow(username="lin", display_name="林干部", role="officer", password_hash="x"))
    oid = record_outcome(session, visit("C1", households=15, solved=4), who="lin")
    # Walk A: the page then said “该记录已被他人修改” (a conflict's hint) although nobody had changed anything, and
    # named the account (lin) instead of the person.
    with pytest.raises(InputError, match="已由 林干部（lin） 登记；请刷新后在原记录上更正") as refused:
        record_outcome(session, visit("C1"), who="chen")  # chen did not see lin's record
    assert not isinstance(refused.value, ConflictError)
    stored = outcome_for_visit(session, "C1", DAY, "T1")
    assert stored is not None and stored.outcome_id == oid
    assert record_outcome(session, visit("C1"), who="chen", expected_version=stored.version) == oid
    row = session.get(VisitOutcomeRow, oid)
    assert (row.households_visited, row.problems_solved, row.version) == (12, 3, stored.version + 1)
    changes = record_history(session, "outcome", oid)
    assert [c.action for c in changes] == ["created", "corrected"]
    assert changes[-1].who == "chen"
    assert changes[-1].changes["households_visited"] == {"from": 15, "to": 12}
    assert "入户走访：15 → 12" in changes[-1].describe()
    # Walk D: the first entry read "结果：visited；检查组：T1；原因：（空）" — codes, and a field left empty.
    first = changes[0].describe({"T1": "第一检查组"})
    assert "结果：已走访" in first and "检查组：第一检查组" in first
    assert "visited" not in first and "T1" not in first and "原因" not in first
    totals = compute_stats(session, **YEAR).totals
    assert (totals["household_visits"], totals["problems_solved"]) == (12, 3)


def test_statistics_count_the_latest_record_of_a_visit_recorded_twice_before(session) -> None:
    """Records saved twice by the old page (two rows for one visit) count once, with the latest values."""
    case = add_case(session, "C1")
    other = add_case(session, "C2")
    for case_id, households, solved in ((case.id, 15, 4), (case.id, 12, 3), (other.id, 0, 0)):
        session.add(VisitOutcomeRow(case_id=case_id, visit_date=DAY, team_id="T1", result="visited",
                                    households_visited=households, problems_solved=solved))
    session.flush()
    assert duplicate_visit_records(session) == 1
    totals = compute_stats(session, **YEAR).totals
    assert (totals["household_visits"], totals["problems_solved"], totals["letters_taken_down"]) == (12, 3, 2)


def test_outcome_takes_the_plans_day_and_team_and_starts_the_plan(session) -> None:
    case = add_case(session, "C1")
    plan = PlanRow(name="第49周", start_date=DAY, days=5, status="issued")
    session.add(plan)
    session.flush()
    session.add(PlanCase(plan_id=plan.id, case_id=case.id, visit_id="V1", team_id="T2", visit_date=D(2026, 12, 9)))
    session.flush()
    planned = planned_visit(session, "C1", on=DAY)
    assert (planned.plan_id, planned.team_id, planned.visit_date) == (plan.id, "T2", D(2026, 12, 9))
    assert planned_visit(session, "C1", team_ids=("T9",)) is None  # another team's officer
    oid = record_outcome(session, visit("C1", D(2026, 12, 9), team=""), who="lin", plan_id=plan.id,
                         visit_type=VisitType.RETURN)
    row = session.get(VisitOutcomeRow, oid)
    assert (row.visit_date, row.team_id, row.plan_id, row.visit_type) == (D(2026, 12, 9), "T2", plan.id, "return")
    assert session.get(PlanRow, plan.id).status == "in_progress"
    (stored,) = stored_outcomes(session, "C1")
    assert stored.visit_type is VisitType.RETURN and stored.plan_id == plan.id


def test_correcting_a_visit_onto_another_recorded_visit_is_refused(session) -> None:
    add_case(session, "C1")
    record_outcome(session, visit("C1", D(2026, 12, 7)), who="lin")
    second = record_outcome(session, visit("C1", D(2026, 12, 8)), who="lin")
    with pytest.raises(ConflictError, match="已有这一检查组的走访记录"):
        correct_outcome(session, second, visit("C1", D(2026, 12, 7)), who="lin")


def test_a_correction_that_resolves_the_problem_moves_the_case_on(session) -> None:
    add_case(session, "C1")
    oid = record_outcome(session, visit("C1"), who="lin")
    assert session.scalars(select(CaseRow.status).where(CaseRow.case_no == "C1")).one() == "visited"
    correct_outcome(session, oid, visit("C1", resolved=True), who="lin")
    assert session.scalars(select(CaseRow.status).where(CaseRow.case_no == "C1")).one() == "resolved"


def test_feedback_rectification_and_clarification_corrections_keep_history(session) -> None:
    add_case(session, "C1", status="visited")
    fid = record_feedback(session, "C1", "government", feedback_date=DAY, channel="书面", content="请镇政府清退",
                          recipient="山格镇政府", who="lin")
    (fb,) = feedback_for_case(session, "C1")
    assert correct_feedback(session, fid, who="chen", expected_version=fb.version, recipient="山格镇党委",
                            acknowledged=True)
    assert not correct_feedback(session, fid, who="chen", recipient="山格镇党委")  # nothing changed
    with pytest.raises(ConflictError, match=r"反馈记录 #\d+ 已被他人修改"):
        correct_feedback(session, fid, who="lin", expected_version=fb.version, content="改")
    (fb,) = feedback_for_case(session, "C1")
    assert (fb.recipient, fb.acknowledged) == ("山格镇党委", True)
    assert record_history(session, "feedback", fid)[-1].changes["recipient"] == {"from": "山格镇政府",
                                                                                  "to": "山格镇党委"}

    rid = add_rectification(session, "C1", item="清退保证金", owner="林业站", due_date=DAY, who="lin")
    (item,) = list_rectifications(session, case_no="C1")
    correct_rectification(session, rid, who="chen", expected_version=item.version, due_date=D(2026, 12, 31))
    with pytest.raises(InputError, match="责任单位"):
        correct_rectification(session, rid, who="chen", owner="  ")
    assert list_rectifications(session, case_no="C1")[0].due_date == D(2026, 12, 31)
    assert record_history(session, "rectification", rid)[-1].who == "chen"

    record_outcome(session, visit("C1", report_true=False), who="lin")  # the visit that found it untrue
    cid = record_clarification(session, "C1", cadre="李某某", issued_date=DAY, who="lin")
    (letter,) = list_clarifications(session, "C1")
    correct_clarification(session, cid, who="chen", expected_version=letter["version"], cadre="镇长李某某")
    with pytest.raises(ConflictError):
        correct_clarification(session, cid, who="lin", expected_version=letter["version"], scope="班子会议")
    assert list_clarifications(session, "C1")[0]["cadre"] == "镇长李某某"
    assert record_history(session, "clarification", cid)[-1].changes["cadre"]["from"] == "李某某"


@pytest.mark.parametrize("kind", ["outcome", "feedback"])
def test_two_people_editing_the_same_record_the_second_gets_a_chinese_conflict_and_nothing_is_lost(engine,
                                                                                                    kind) -> None:
    """Both users opened version 1; the first save stands, the second is refused with a clear message."""
    make = session_factory(engine)
    with make() as s:
        add_case(s, "C1", status="visited")
        if kind == "outcome":
            rid = record_outcome(s, visit("C1", households=10), who="lin")
        else:
            rid = record_feedback(s, "C1", "petitioner", feedback_date=DAY, channel="电话", content="告知结果",
                                  who="lin")
        s.commit()
    with make() as a, make() as b:
        if kind == "outcome":
            seen_a, seen_b = (outcome_for_visit(x, "C1", DAY, "T1").version for x in (a, b))
            correct_outcome(a, rid, visit("C1", households=11), who="甲", expected_version=seen_a)
            a.commit()
            with pytest.raises(ConflictError, match=r"已被他人修改.*你填写的内容没有保存"):
                correct_outcome(b, rid, visit("C1", households=99), who="乙", expected_version=seen_b)
        else:
            seen_a, seen_b = (feedback_for_case(x, "C1")[0].version for x in (a, b))
            correct_feedback(a, rid, who="甲", expected_version=seen_a, content="已当面告知结果")
            a.commit()
            with pytest.raises(ConflictError, match="已被他人修改"):
                correct_feedback(b, rid, who="乙", expected_version=seen_b, content="乙的内容")
        b.rollback()
    with make() as s:
        if kind == "outcome":
            assert s.get(VisitOutcomeRow, rid).households_visited == 11
        else:
            assert feedback_for_case(s, "C1")[0].content == "已当面告知结果"
        assert [c.who for c in record_history(s, kind, rid)][-1] == "甲"


# --------------------------------------------------------------------------------------------- plan lifecycle (9)


def _plan(session, cases: dict[str, tuple[str, dt.date]], status: str = "draft") -> int:
    plan = PlanRow(name="第49周", start_date=DAY, days=5, status=status)
    session.add(plan)
    session.flush()
    ids = dict(session.execute(select(CaseRow.case_no, CaseRow.id)).all())
    for k, (no, (team, day)) in enumerate(cases.items(), start=1):
        session.add(PlanCase(plan_id=plan.id, case_id=ids[no], visit_id=f"V{k}", team_id=team, visit_date=day, seq=k))
    session.flush()
    return plan.id


def _status(session, case_no: str) -> str:
    return session.scalars(select(CaseRow.status).where(CaseRow.case_no == case_no)).one()


def test_plan_lifecycle_moves_its_cases_and_the_home_page_counts(session) -> None:
    """Defect 9: plans never left 草稿, so no case became 已选件 or 已排程."""
    from planner.followup.overview import overview
    from planner.store.cases import load_cases
    from planner.store.lifecycle import PlanStatus, plan_saved, plan_status, set_plan_status

    for no in ("A", "B", "C"):
        add_case(session, no, status="registered")
    pid = _plan(session, {"A": ("T1", DAY), "B": ("T2", DAY), "C": ("T1", D(2026, 12, 8))})
    assert plan_saved(session, pid, who="组长") == 3
    assert {_status(session, n) for n in "ABC"} == {"selected"}
    status, version = plan_status(session, pid)
    assert status is PlanStatus.DRAFT and status.label == "草稿"
    assert set_plan_status(session, pid, "issued", who="组长", expected_version=version) is PlanStatus.ISSUED
    assert {_status(session, n) for n in "ABC"} == {"planned"}
    counts = dict(overview(load_cases(session), today=DAY).by_status)
    assert counts[next(s for s in counts if s.value == "planned")] == 3
    with pytest.raises(ConflictError, match=r"计划 #\d+ 在你打开之后有了变化.*组长下发了计划"):
        set_plan_status(session, pid, "done", who="组长", expected_version=version)
    record_outcome(session, visit("A", team="T1"), who="lin", plan_id=pid)
    assert plan_status(session, pid)[0] is PlanStatus.IN_PROGRESS  # the first outcome starts it
    set_plan_status(session, pid, PlanStatus.DONE, who="组长")
    assert [_status(session, n) for n in "ABC"] == ["visited", "registered", "registered"]  # B, C back to the pool
    with pytest.raises(InputError, match="现为已完成，不能改为草稿"):
        set_plan_status(session, pid, "draft", who="组长")
    history = record_history(session, "plan", pid)
    assert [c.changes["status"] if c.action == "created" else c.changes["status"]["to"] for c in history] == [
        "草稿", "已下发", "执行中", "已完成"]
    assert [c.action for c in history] == ["created", "status", "status", "status"]
    assert history[-1].changes["status"] == {"from": "执行中", "to": "已完成"}


def test_withdrawn_plan_returns_its_cases_to_the_visit_list(session) -> None:
    from planner.store.lifecycle import set_plan_status

    add_case(session, "A", status="registered")
    pid = _plan(session, {"A": ("T1", DAY)})
    set_plan_status(session, pid, "issued", who="组长")
    assert _status(session, "A") == "planned"
    set_plan_status(session, pid, "draft", who="组长")
    assert _status(session, "A") == "selected"


def test_a_resent_letter_follows_its_first_letter_when_that_one_is_resolved(session) -> None:
    """Defect 9: a re-sent letter stayed 已登记 after the first letter of its chain was resolved."""
    add_case(session, "FIRST", status="planned", received=D(2026, 9, 1), petitioner_key="p1")
    add_case(session, "AGAIN", status="registered", received=D(2026, 10, 1), petitioner_key="p1")
    add_case(session, "OWNVISIT", status="planned", received=D(2026, 10, 5), petitioner_key="p1")
    add_case(session, "OTHER", status="registered", received=D(2026, 10, 1), petitioner_key="p2")
    record_outcome(session, visit("FIRST", resolved=True), who="lin")
    assert [_status(session, n) for n in ("FIRST", "AGAIN", "OWNVISIT", "OTHER")] == [
        "resolved", "resolved", "planned", "registered"]
    from planner.followup.common import case_history

    assert "随前件 FIRST" in case_history(session, "AGAIN")[-1].detail["note"]


def test_a_repeat_cluster_chain_follows_too(session) -> None:
    from planner.followup.clarification import record_clarification as clarify
    from planner.store.models import ClusterMember, ClusterRow

    first = add_case(session, "R1", status="visited", received=D(2026, 9, 1))
    again = add_case(session, "R2", status="selected", received=D(2026, 9, 20))
    session.add(ClusterRow(id="repeat-1", kind="repeat", label="重复举报"))
    session.flush()
    session.add_all([ClusterMember(cluster_id="repeat-1", case_id=first.id),
                     ClusterMember(cluster_id="repeat-1", case_id=again.id)])
    session.flush()
    record_outcome(session, visit("R1", report_true=False), who="lin")  # the visit that found it untrue
    clarify(session, "R1", cadre="李某某", issued_date=DAY, who="lin")
    assert _status(session, "R2") == "clarified"


def test_the_statistics_fingerprint_changes_with_every_save_and_correction(session) -> None:
    """统计 caches its figures on this fingerprint: a correction must never show yesterday's numbers."""
    from planner.followup.stats import records_version

    add_case(session, "C1")
    before = records_version(session)
    oid = record_outcome(session, visit("C1", households=15), who="lin")
    recorded = records_version(session)
    correct_outcome(session, oid, visit("C1", households=12), who="lin")
    corrected = records_version(session)
    assert len({before, recorded, corrected}) == 3
    assert records_version(session) == corrected  # and stable while nothing changes


def test_issuing_a_plan_schedules_only_the_cases_a_team_visits_on_a_day(session) -> None:
    """Walk defect (task J 1): 下发计划 made left-out cases (no team, 日期未定) 已排程 too; nobody would visit them."""
    from planner.followup.overview import overview
    from planner.store.cases import load_cases
    from planner.store.lifecycle import plan_replanned, plan_saved, set_plan_status

    for no in ("A", "B", "C", "D"):
        add_case(session, no, status="registered")
    pid = _plan(session, {"A": ("T1", DAY), "B": ("T1", D(2026, 12, 8)), "C": ("", None), "D": ("", None)})
    plan_saved(session, pid, who="组长")
    set_plan_status(session, pid, "issued", who="组长")
    # left out: back to be chosen again (walk 1: 309号 stayed 已选件 under an issued plan nobody would visit it by)
    assert [_status(session, n) for n in "ABCD"] == ["planned", "planned", "registered", "registered"]
    counts = {s.value: n for s, n in overview(load_cases(session), today=DAY).by_status}
    assert counts.get("planned") == 2 and counts.get("registered") == 2 and not counts.get("selected")

    # a re-plan moves C onto a day and leaves B out: the statuses follow the stops
    ids = dict(session.execute(select(CaseRow.case_no, CaseRow.id)).all())
    for no, (team, day) in {"B": ("", None), "C": ("T1", D(2026, 12, 9))}.items():
        pc = session.get(PlanCase, (pid, ids[no]))
        pc.team_id, pc.visit_date = team, day
    session.flush()
    assert plan_replanned(session, pid, who="组长") == 2
    assert [_status(session, n) for n in "ABCD"] == ["planned", "registered", "planned", "registered"]

    # another issued plan that only lists D as left out does not keep it 已排程 elsewhere
    other = _plan(session, {"D": ("", None)}, status="issued")
    assert other != pid
    set_plan_status(session, pid, "draft", who="组长")
    assert [_status(session, n) for n in "ABCD"] == ["selected"] * 4
    set_plan_status(session, pid, "issued", who="组长")
    set_plan_status(session, pid, "done", who="组长")
    assert [_status(session, n) for n in "ABCD"] == ["registered"] * 4


def test_an_outcome_dated_after_today_is_refused_in_chinese_and_the_form_proposes_today(session, monkeypatch) -> None:
    """Walk defect (task J 2): an outcome could be dated on a planned day still to come; 统计 then missed it."""
    from planner.followup import outcomes
    from planner.followup.outcomes import check_visit_date, correct_outcome, default_visit_date

    monkeypatch.setattr(outcomes, "local_today", lambda: D(2026, 12, 2))  # Zhangzhou's today
    add_case(session, "A")
    with pytest.raises(InputError, match=r"走访日期 2026-12-07 晚于今天（2026-12-02）"):
        record_outcome(session, visit("A", DAY), who="lin")
    assert session.scalar(select(func.count()).select_from(VisitOutcomeRow)) == 0
    with pytest.raises(InputError, match="晚于今天"):
        check_visit_date(D(2026, 12, 3), today=D(2026, 12, 2))
    check_visit_date(D(2026, 12, 2), today=D(2026, 12, 2))  # today itself is fine
    oid = record_outcome(session, visit("A", D(2026, 12, 2)), who="lin")
    with pytest.raises(InputError, match="晚于今天"):  # a correction cannot move it into the future either
        correct_outcome(session, oid, visit("A", DAY), who="lin")
    assert record_outcome(session, visit("A", DAY), who="lin", today=DAY) != oid  # the page's pinned today counts
    assert default_visit_date(DAY, D(2026, 12, 2)) == D(2026, 12, 2)
    assert default_visit_date(D(2026, 11, 30), D(2026, 12, 2)) == D(2026, 11, 30)
    assert default_visit_date(None, D(2026, 12, 2)) == D(2026, 12, 2)


def test_every_figure_has_one_unit_in_its_header_and_in_the_summary_sentence(session) -> None:
    """Walk defect (task J 4): 推动解决问题（件） read "118 个"; 入户走访 was 户 on 行程 and 次 elsewhere."""
    import re

    from planner.followup.stats import FIGURES

    add_case(session, "A", status="registered")
    record_outcome(session, visit("A", households=13, solved=2, resolved=True), who="lin")
    stats = compute_stats(session, **YEAR)
    sentence = stats.summary()
    for key, header in FIGURES:
        unit = re.search(r"（(.+)）$", header)
        name = header.split("（")[0]
        found = re.search(rf"(?<=[：，；]){name.removesuffix('件数')} (\d+) (\S+?)[，；。]", sentence)
        assert found, (name, sentence)
        assert int(found.group(1)) == stats.totals[key]
        assert found.group(2) == (unit.group(1) if unit else "件"), (header, found.group(0))
    assert "入户走访 13 户次" in sentence and "入户走访（户次）" in dict(FIGURES).values()


def test_a_cases_history_names_the_team_not_its_code(session) -> None:
    """Walk D: 办理记录 read "登记走访结果 2026-12-07 已走访 T1"."""
    from planner.followup.common import case_history, describe_history

    add_case(session, "C9")
    record_outcome(session, visit("C9"), who="lin")
    lines = [describe_history(h, {"T1": "第一检查组"}) for h in case_history(session, "C9")]
    outcome = next(text for what, text in lines if "已走访" in text)
    assert "第一检查组" in outcome and "T1" not in outcome


def test_every_history_entry_of_a_follow_up_reads_in_chinese(session) -> None:
    """Walk B: 办理记录 read “对象：信访人；日期：…；channel：书面” (a detail key without a Chinese name)."""
    import re

    from planner.followup.common import case_history
    from planner.store.history_text import describe

    add_case(session, "C1", status="visited")
    record_outcome(session, visit("C1", resolved=True, report_true=False), who="off6")
    fid = record_feedback(session, "C1", "petitioner", feedback_date=DAY, channel="书面", content="告知结果",
                          who="off6")
    correct_feedback(session, fid, who="coord1", channel="电话")
    record_clarification(session, "C1", cadre="村主任", issued_date=DAY, who="coord1", scope="反映不实")
    add_rectification(session, "C1", item="清退保证金", owner="镇政府", due_date=DAY, who="coord1")
    texts = [describe(h.action, h.detail) for h in case_history(session, "C1")]
    assert len(texts) >= 5
    english = [t for t in texts if re.search(r"[A-Za-z_]{3,}", t)]
    assert not english, english
