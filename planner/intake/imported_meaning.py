"""The meaning of the letters an import wrote: encoded after the import's commit, theirs only, in committed pieces.

An import used to be followed by the encoding of every letter of the database still without a meaning vector, in
one transaction (walk on PostgreSQL: minutes of a spinner after a 3,000-letter register, a transaction held all that
time). The letters are committed by :func:`planner.intake.register.import_register` first; then only the texts of
the letters it added or changed (``ImportSummary.written``, read by :func:`written_texts`) are encoded, by
:func:`planner.store.vectors.encode_missing`, piece by piece, each piece committed. Older letters without a vector
are encoded when 关联分析 needs them (:func:`planner.store.vectors.stored_vectors`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

_IN_CHUNK = 2000  # case numbers per IN list: far below SQLite's and PostgreSQL's parameter limits


def written_texts(session: Session, case_nos: Sequence[str]) -> list[str]:
    """The words of the letters numbered ``case_nos``, as 关联分析 reads them.

    Parameters
    ----------
    session
        An open session.
    case_nos
        Case numbers, e.g. ``ImportSummary.written``; numbers no letter has are ignored.

    Returns
    -------
    list[str]
        One text per letter found (``planner.store.clusters.analysis_texts``: petitioners' names taken out).
    """
    from planner.store.cases import load_cases
    from planner.store.clusters import analysis_texts

    numbers = list(dict.fromkeys(case_nos))
    cases = []
    for start in range(0, len(numbers), _IN_CHUNK):
        cases.extend(load_cases(session, case_nos=numbers[start : start + _IN_CHUNK]))
    return analysis_texts(session, cases) if cases else []

