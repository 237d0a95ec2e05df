"""首页's 双反馈 gaps (:func:`planner.followup.feedback.missing_feedback`) read the writers of the handled letters
with the letters, not one query per letter (a 10,000-letter register: some 6,000 queries, 2 s of the page)."""

from __future__ import annotations

import dataclasses

from sqlalchemy import event

from planner.followup.feedback import missing_feedback
from planner.intake.demo import generate_letters, register_xlsx_bytes
from planner.intake.register import import_register
from planner.store.database import session_scope


def test_the_feedback_gaps_do_not_query_once_per_letter(engine) -> None:
    letters = [dataclasses.replace(lt, status="已办结") for lt in generate_letters(3, 60)]
    import_register(engine, register_xlsx_bytes(letters), filename="h9.xlsx", who="test")
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with session_scope(engine) as s:
        event.listen(engine, "before_cursor_execute", count)
        try:
            gaps = missing_feedback(s)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert len(gaps) >= 40  # the letters are handled, no feedback recorded
    assert len(statements) < 20, len(statements)
