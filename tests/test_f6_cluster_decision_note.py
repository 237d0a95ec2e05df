"""A leader's 说明 on a decision (关联分析): kept in the stored decision through every later run and through a
恢复自动分组 of another letter of the same detach, masked where it holds a phone number, and refused when too long."""

import datetime as dt

import pytest
from sqlalchemy import select

from planner.analysis import Decision
from planner.analysis.decisions import NOTE_MAX
from planner.errors import InputError
from planner.store import clusters as store
from planner.store.models import AuditRow, CaseRow
from tests.test_cluster_restore import _letters


@pytest.fixture()
def letters(session):
    out = _letters()
    for lt in out:
        session.add(CaseRow(case_no=lt.letter_id, received_date=lt.received_date,
                            deadline=lt.received_date + dt.timedelta(days=60), content=lt.text))
    session.flush()
    return out


def test_a_note_stays_with_its_decision_and_a_phone_number_in_it_is_masked(session, letters) -> None:
    first = store.recluster(session, letters)
    note = "  信访人  13812345678 来电说明，  两件不同 "
    store.decide(session, first, Decision("detach", letter_ids=("D03", "D04"), note=note), who="zuzhang1")
    session.commit()
    [kept] = store.load_decisions(session)
    assert kept.note.startswith("信访人 ") and "13812345678" not in kept.note and kept.note.endswith("两件不同")
    row = session.scalars(select(AuditRow).where(AuditRow.action == "cluster_detach")).one()
    assert row.detail["note"] == kept.note
    store.recluster(session, letters)
    store.restore_automatic(session, letters, ["D03"], who="zuzhang1")  # the detach of D04 is written anew
    session.commit()
    assert [d.note for d in store.load_decisions(session)] == [kept.note]


def test_a_note_longer_than_the_limit_is_refused() -> None:
    with pytest.raises(InputError, match="说明最多"):
        Decision("unlink", letter_ids=("A", "B"), note="字" * (NOTE_MAX + 1))
    assert Decision.from_payload(Decision("unlink", letter_ids=("A", "B")).to_payload()).note == ""
