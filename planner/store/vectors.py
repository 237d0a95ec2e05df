"""Meaning vectors of letter texts in the database: encoded once (about 30 ms a letter), read back by every analysis.

Two ways in: :func:`stored_vectors` inside an analysis's own transaction (it encodes what is missing, lazily), and
:func:`encode_missing` ahead of it (after an import, before 关联分析), which encodes outside any transaction and
commits piece by piece, so that a long encoding holds no lock and an interrupted one keeps what it finished.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from planner.analysis import semantic
from planner.store.models import TextVectorRow

log = logging.getLogger(__name__)

_CHUNK = 500
_BATCH = 64


def _read(session: Session, keys: Iterable[str]) -> dict[str, np.ndarray]:
    wanted = list(dict.fromkeys(keys))
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(wanted), _CHUNK):
        part = wanted[start : start + _CHUNK]
        rows = session.execute(select(TextVectorRow.key, TextVectorRow.vector).where(TextVectorRow.key.in_(part)))
        for key, blob in rows:
            found[key] = np.frombuffer(blob, dtype="<f2").astype(np.float32)
    return found


def _insert_new(session: Session, rows: list[dict]) -> None:
    """Insert rows, leaving keys another session stored meanwhile as they are (the same text, the same vector)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(TextVectorRow).values(rows).on_conflict_do_nothing(index_elements=["key"]))


def _stored_keys(session: Session, keys: Iterable[str]) -> set[str]:
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        part = wanted[start : start + _CHUNK]
        found.update(session.scalars(select(TextVectorRow.key).where(TextVectorRow.key.in_(part))))
    return found


def store_vectors(session: Session, keys: Sequence[str], vecs: np.ndarray) -> None:
    """Store vectors already encoded (the demo register's, shipped with the package) under their keys."""
    rows = [{"key": k, "vector": np.asarray(v, dtype="<f2").tobytes()} for k, v in zip(keys, vecs, strict=True)]
    for start in range(0, len(rows), 200):
        _insert_new(session, rows[start : start + 200])


def missing(session: Session, texts: Sequence[str]) -> int:
    """How many distinct texts have no stored vector yet (0 when the semantic model is not available)."""
    if not semantic.available():
        return 0
    keys = {semantic.text_key(t) for t in texts}
    return len(keys) - len(_stored_keys(session, keys))


def encode_missing(
    engine: Engine, texts: Sequence[str], progress: Callable[[int, int], None] | None = None
) -> int:
    """Encode and store the vectors of ``texts`` that have none yet, committing every :data:`_BATCH` texts.

    Each piece is encoded outside any transaction and then written in a short one of its own: a register of
    thousands of letters holds no lock for minutes, and an encoding cut short (a closed page, a stopped process, an
    error) keeps the pieces it finished; the next call, or :func:`stored_vectors` in the analysis, does the rest.

    Parameters
    ----------
    engine
        The database.
    texts
        Letter texts as the analysis reads them (``planner.store.clusters.analysis_texts``); repeats count once.
    progress
        Called as ``progress(done, total)`` after each committed piece (``total``: texts missing at the start).

    Returns
    -------
    int
        How many texts were missing (and are now stored); 0 when the semantic model is not available.
    """
    from planner.store.database import session_scope

    if not semantic.available():
        return 0
    keys = {semantic.text_key(t): t for t in texts}
    with session_scope(engine) as session:
        stored = _stored_keys(session, keys)
    todo = [k for k in keys if k not in stored]
    if todo:
        log.info("encoding %d letter texts for the related-complaint analysis, %d at a time", len(todo), _BATCH)
    for start in range(0, len(todo), _BATCH):
        part = todo[start : start + _BATCH]
        vecs = semantic.vectors([keys[k] for k in part])  # the slow step, with no transaction open
        with session_scope(engine) as session:
            _insert_new(session, [{"key": k, "vector": v.astype("<f2").tobytes()}
                                  for k, v in zip(part, vecs, strict=True)])
        if progress is not None:
            progress(min(start + _BATCH, len(todo)), len(todo))
    return len(todo)


def stored_vectors(
    session: Session, texts: Sequence[str], progress: Callable[[int, int], None] | None = None
) -> dict[str, np.ndarray]:
    """Vectors of ``texts`` keyed by :func:`semantic.text_key`: read from the database, the missing ones encoded and
    added (the caller commits). Empty when the semantic model is not available. ``progress(done, total)`` is called
    as missing texts are encoded."""
    if not semantic.available():
        return {}
    keys = {semantic.text_key(t): t for t in texts}
    found = _read(session, keys)
    todo = [k for k in keys if k not in found]
    if todo:
        log.info("encoding %d letter texts for the related-complaint analysis", len(todo))
        for start in range(0, len(todo), _BATCH):
            part = todo[start : start + _BATCH]
            rows = []
            for k, v in zip(part, semantic.vectors([keys[k] for k in part]), strict=True):
                found[k] = v
                rows.append({"key": k, "vector": v.astype("<f2").tobytes()})
            _insert_new(session, rows)
            if progress is not None:
                progress(min(start + _BATCH, len(todo)), len(todo))
    return found
