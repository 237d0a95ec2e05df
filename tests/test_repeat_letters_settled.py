"""Walk B M1: a stop's sheet says of its letter "同一信访人此后又来信：X、Y（重复件，随本件一并办结）", but
resolving the letter (on the phone or by 更正 on 回访跟踪) left X and Y 已排程 and 统计's 重复信访化解 at 0.
The letters the sheet lists — :func:`planner.store.cases.resent_letters`, the rule the sheets use — are settled
along with the first one, with history, undone by correcting the outcome. 统计's 重复信访化解 counts the dispute
once (walk 3: one settled dispute counted 3, one for each letter), not each letter settled with it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.followup.common import case_history
from planner.followup.outcomes import correct_outcome, record_outcome
from planner.followup.stats import compute_stats
from planner.store.cases import resent_letters
from planner.store.models import CaseRow, PlanCase, PlanRow
from tests.test_followup_records import DAY, YEAR, add_case, visit

D = dt.date


def _status(session, *case_nos: str) -> tuple[str, ...]:
    rows = dict(session.execute(select(CaseRow.case_no, CaseRow.status)).all())
    return tuple(rows[n] for n in case_nos)


def _chain(session) -> None:
    # As in walk B: 001, then 011 and 040 from the same petitioner, all three at one stop of the issued plan
    # (已排程); OWN, a fourth letter of theirs, at a stop of its own; OTHER from someone else.
    for no, day, key in (("001", D(2026, 9, 2), "p-lin"), ("011", D(2026, 9, 11), "p-lin"),
                         ("040", D(2026, 10, 8), "p-lin"), ("OWN", D(2026, 10, 20), "p-lin"),
                         ("OTHER", D(2026, 9, 5), "p-chen")):
        add_case(session, no, received=day, petitioner_key=key)
    plan = PlanRow(name="第49周", start_date=DAY, days=2, status="issued")
    session.add(plan)
    session.flush()
    ids = dict(session.execute(select(CaseRow.case_no, CaseRow.id)).all())
    for seq, (no, stop) in enumerate((("001", "V3"), ("011", "V3"), ("040", "V3"), ("OWN", "V4"), ("OTHER", "V5"))):
        session.add(PlanCase(plan_id=plan.id, case_id=ids[no], visit_id=stop, team_id="T1", visit_date=DAY, seq=seq))
    session.flush()


def test_the_letters_the_sheet_lists_are_settled_with_the_first_and_the_dispute_counted_once(session) -> None:
    _chain(session)
    assert resent_letters(session, ["001"]) == {"001": ("011", "040")}  # what the phone card prints
    oid = record_outcome(session, visit("001", resolved=True), who="off6")
    assert _status(session, "001", "011", "040", "OWN", "OTHER") == (
        "resolved", "resolved", "resolved", "planned", "planned")  # OWN: planned for a visit of its own
    note = [h for h in case_history(session, "011") if h.action == "status"][-1].detail
    assert note["with_case"] == "001" and "随前件 001" in note["note"]
    totals = compute_stats(session, **YEAR).totals
    assert (totals["cases_resolved"], totals["repeat_letters_settled"]) == (1, 1)

    # 更正: not resolved after all — the first letter and the letters settled with it go back, with history.
    correct_outcome(session, oid, visit("001"), who="coord1")
    assert _status(session, "001", "011", "040") == ("visited", "planned", "planned")
    assert "不再随前件化解" in [h for h in case_history(session, "040") if h.action == "status"][-1].detail["note"]
    assert compute_stats(session, **YEAR).totals["repeat_letters_settled"] == 0

    # 更正 again, twice: resolved — each letter still counted once.
    correct_outcome(session, oid, visit("001", resolved=True), who="coord1")
    correct_outcome(session, oid, visit("001", resolved=True, households=3), who="coord1")
    assert _status(session, "001", "011", "040") == ("resolved", "resolved", "resolved")
    totals = compute_stats(session, **YEAR).totals
    assert (totals["cases_resolved"], totals["repeat_letters_settled"]) == (1, 1)
    by_team = compute_stats(session, **YEAR, by=("team",)).rows
    assert [r.keys for r in by_team if r["repeat_letters_settled"]] == [("T1",)]


def test_a_resent_letter_visited_on_its_own_is_neither_listed_nor_settled_with_the_first(session) -> None:
    _chain(session)
    record_outcome(session, visit("011", D(2026, 12, 1)), who="off6")  # 011 has its own visit, not resolved
    assert resent_letters(session, ["001"]) == {"001": ("040",)}
    record_outcome(session, visit("001", resolved=True), who="off6")
    assert _status(session, "001", "011", "040") == ("resolved", "visited", "resolved")
    assert compute_stats(session, **YEAR).totals["repeat_letters_settled"] == 1  # 040 went with 001: one dispute


def test_the_phone_day_counts_a_stop_done_when_its_repeat_letters_were_settled_with_the_first(session) -> None:
    """Noticed at stop 25: "已完成 2/4 站" left a stop open when its other letters had been settled with the first."""
    from planner.field.day import CaseCard, StopCard, settled_along
    from planner.field.navlinks import nav_links

    _chain(session)
    stop_cases = ["001", "011", "040"]
    assert settled_along(session, stop_cases, {"001"}) == {}  # nothing recorded yet
    oid = record_outcome(session, visit("001", resolved=True), who="off6")
    assert settled_along(session, stop_cases, {"001"}) == {"011": "001", "040": "001"}
    assert settled_along(session, stop_cases, {"OTHER"}) == {}  # settled by a letter not recorded at this visit

    def stop(settled):
        cards = tuple(CaseCard(no, "", "", None, no == "001", settled_with=settled.get(no, "")) for no in stop_cases)
        return StopCard(1, "09:00", "09:00", "10:00", "", "", 117.0, 24.0, nav_links(117.0, 24.0, "x"), cards)

    assert stop(settled_along(session, stop_cases, {"001"})).done
    assert "已随 001 一并办结" in stop({"011": "001"}).cases[1].settled_text()
    assert not stop({}).done  # without the settling, the two repeat letters are still to be recorded

    correct_outcome(session, oid, visit("001"), who="coord1")  # not resolved after all: they are open again
    assert settled_along(session, stop_cases, {"001"}) == {}


def _two_teams(session) -> None:
    """Walk A: 沈明辉's letters — 0908 on 第一检查组's plan, 1002 on 第二检查组's, 1105 waiting (on no route)."""
    for no, day in (("0908", D(2026, 9, 8)), ("1002", D(2026, 10, 2)), ("1105", D(2026, 11, 5))):
        add_case(session, no, received=day, petitioner_key="p-shen", status="registered" if no == "1105" else "planned")
    ids = dict(session.execute(select(CaseRow.case_no, CaseRow.id)).all())
    for name, team, no in (("一组第49周", "T1", "0908"), ("二组第49周", "T2", "1002")):
        plan = PlanRow(name=name, start_date=DAY, days=2, status="issued")
        session.add(plan)
        session.flush()
        session.add(PlanCase(plan_id=plan.id, case_id=ids[no], visit_id="V1", team_id=team, visit_date=DAY, seq=0))
    session.flush()


def test_a_waiting_letter_goes_with_one_team_only(session) -> None:
    """Both teams' sheets claimed the waiting letter, and the second team's outcome settled it under the first team's
    feet, “随首件 1002” although 1002 was not the first letter. It goes with the earliest letter a team visits."""
    _two_teams(session)
    assert resent_letters(session, ["0908", "1002"]) == {"0908": ("1105",)}
    record_outcome(session, visit("1002", team="T2", resolved=True), who="offB")
    assert _status(session, "0908", "1002", "1105") == ("planned", "resolved", "registered")
    assert resent_letters(session, ["0908"]) == {"0908": ("1105",)}  # still on 第一检查组's sheet
    record_outcome(session, visit("0908", resolved=True), who="offA")
    assert _status(session, "0908", "1105") == ("resolved", "resolved")
    note = [h for h in case_history(session, "1105") if h.action == "status"][-1].detail
    assert note["with_case"] == "0908" and note["note"] == "重复信访件，随前件 0908 已化解"


def test_with_no_team_on_the_way_a_waiting_letter_goes_with_whichever_is_settled(session) -> None:
    """Without a live plan for the earlier letters, the first of them settled takes the waiting letter along (as
    before): an outcome recorded off any plan still closes the matter's re-sends."""
    for no, day in (("A", D(2026, 9, 8)), ("B", D(2026, 10, 2)), ("C", D(2026, 11, 5))):
        add_case(session, no, received=day, petitioner_key="p-x", status="registered")
    record_outcome(session, visit("B", resolved=True), who="offB")
    assert _status(session, "A", "B", "C") == ("registered", "resolved", "resolved")


def test_one_matter_visited_once_gets_one_return_visit(session) -> None:
    """Walk A: one outcome on 黄志远's first letter settled his three re-sends, and 检查并生成回访建议 then proposed
    four return visits (two with no team) for one matter; recording the one visit closed only its own."""
    from planner.followup.returns import list_followups, propose_return_visits

    for no, day in (("H1", D(2026, 9, 5)), ("H2", D(2026, 10, 1)), ("H3", D(2026, 10, 19)), ("H4", D(2026, 11, 22))):
        add_case(session, no, received=day, petitioner_key="p-huang", status="registered")
    record_outcome(session, visit("H1", resolved=True), who="offA")
    assert _status(session, "H1", "H2", "H3", "H4") == ("resolved",) * 4
    assert [i.task.case_no for i in list_followups(session)] == ["H1"]  # proposed when the outcome was recorded
    assert propose_return_visits(session, DAY + dt.timedelta(days=40)) == []  # the re-sends get none of their own
    assert [i.task.case_no for i in list_followups(session)] == ["H1"]
