"""Walk M: 双反馈缺项 listed a repeat letter closed together with its first letter as lacking both sides (the first
had both), and an anonymous letter as lacking feedback to a petitioner nobody can reach."""

from __future__ import annotations

import datetime as dt

from planner.followup.feedback import missing_feedback, record_feedback
from planner.store.models import PetitionerRow
from tests.test_followup import D, add_case


def _writer(row, name: str, phone: str = "") -> None:
    row.petitioner = PetitionerRow(name=name, phone=phone)


def test_a_repeat_letter_takes_its_chains_feedback_and_an_anonymous_one_needs_none_to_the_writer(session) -> None:
    first = add_case(session, "R1", status="resolved", petitioner_key="k-lin")
    again = add_case(session, "R2", D(2026, 3, 20), status="resolved", petitioner_key="k-lin")
    nobody = add_case(session, "A1", status="visited")
    phoned = add_case(session, "A2", status="visited")
    named = add_case(session, "N1", status="visited")
    for row, name, phone in ((first, "林水生", "13800000001"), (again, "林水生", "13800000001"), (nobody, "匿名", ""),
                             (phoned, "", "13900000002"), (named, "黄国强", "")):
        _writer(row, name, phone)
    session.flush()
    for side in ("petitioner", "government"):
        record_feedback(session, "R1", side, feedback_date=dt.date(2026, 4, 12), channel="当面", content="已告知",
                        recipient="山格镇党委" if side == "government" else "", who="u")
    for no in ("A1", "A2", "N1"):
        record_feedback(session, no, "government", feedback_date=dt.date(2026, 4, 12), channel="书面",
                        content="已反馈", recipient="山格镇党委", who="u")
    got = {m.case_no: m.missing for m in missing_feedback(session)}
    # R2 is R1's chain; A1 has neither name nor phone; A2 can be phoned and N1 named: they still need it.
    assert got == {"A2": ("petitioner",), "N1": ("petitioner",)}
