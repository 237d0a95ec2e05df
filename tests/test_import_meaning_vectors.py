"""The meaning vectors an import triggers: its own letters only, outside its transaction, in committed pieces."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from sqlalchemy import func, select

from planner.analysis import semantic
from planner.intake import register as ingest
from planner.intake.imported_meaning import written_texts
from planner.store import clusters as store
from planner.store import vectors
from planner.store.cases import load_cases
from planner.store.database import session_scope
from planner.store.models import CaseRow, TextVectorRow

HEAD = "编号,收件日期,问题发生地,信访人,反映内容\n"
# Letters already in the database, never analysed (imported before, or by the command line).
OLD = HEAD + (
    "A1,2026-09-01,平和县坂仔镇,林一,村干部挪用扶贫蜂箱补助款\n"
    "A2,2026-09-02,华安县仙都镇,陈二,仙都镇卫生院收费不开票\n"
    "A3,2026-09-03,云霄县列屿镇,王三,列屿镇渔船燃油补贴被克扣\n"
)
# This register: two new letters and one old letter whose words changed.
NEW = HEAD + (
    "B1,2026-10-05,漳浦县官浔镇,张四,村干部侵占征地补偿款\n"
    "B2,2026-10-06,诏安县太平镇,李五,收取桉树砍伐保证金不退\n"
    "A3,2026-09-03,云霄县列屿镇,王三,列屿镇渔船燃油补贴被克扣，至今未发放到户\n"
)


def _vector(text: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha1(text.encode()).digest()[:4], "little")
    v = np.random.default_rng(seed).standard_normal(semantic.DIM).astype(np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture()
def encoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A stand-in for the model (a fixed vector per text); the texts it was asked to encode, in order."""
    seen: list[str] = []

    def fake(texts, known=None):
        seen.extend(texts)
        return np.stack([_vector(t) for t in texts]) if texts else np.zeros((0, semantic.DIM), np.float32)

    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(semantic, "vectors", fake)
    return seen


def _texts(engine, case_nos=None) -> list[str]:
    with session_scope(engine) as s:
        return store.analysis_texts(s, load_cases(s, case_nos=case_nos))


def _stored(engine) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(TextVectorRow))


def test_an_import_encodes_its_new_and_changed_letters_and_no_older_one(engine, encoded) -> None:
    ingest.import_register(engine, OLD.encode(), filename="old.csv")
    summary = ingest.import_register(engine, NEW.encode(), filename="new.csv")
    assert sorted(summary.written) == ["A3", "B1", "B2"]
    with session_scope(engine) as s:
        texts = written_texts(s, summary.written)
    assert vectors.encode_missing(engine, texts) == 3
    assert sorted(encoded) == sorted(_texts(engine, ["A3", "B1", "B2"]))
    with session_scope(engine) as s:
        assert vectors.missing(s, _texts(engine, ["A1", "A2"])) == 2  # left to 关联分析
    encoded.clear()
    again = ingest.import_register(engine, NEW.encode(), filename="new.csv")
    assert again.written == () and again.unchanged == 3
    with session_scope(engine) as s:
        assert written_texts(s, again.written) == []


def test_the_encoding_is_committed_piece_by_piece_and_an_interrupted_one_resumes(
    engine, encoded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vectors, "_BATCH", 2)
    summary = ingest.import_register(engine, (OLD + NEW.split("\n", 1)[1]).encode(), filename="both.csv")
    with session_scope(engine) as s:
        texts = written_texts(s, summary.written)
    assert len(set(texts)) == 5
    real = semantic.vectors

    def second_piece_fails(texts, known=None):
        if len(encoded) >= 2:
            raise RuntimeError("model stopped")
        return real(texts)

    monkeypatch.setattr(semantic, "vectors", second_piece_fails)
    with pytest.raises(RuntimeError):
        vectors.encode_missing(engine, texts)
    assert _stored(engine) == 2  # the finished piece is kept
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(CaseRow)) == 5  # the letters were never at stake
    monkeypatch.setattr(semantic, "vectors", real)
    encoded.clear()
    seen: list[tuple[int, int]] = []
    assert vectors.encode_missing(engine, texts, progress=lambda done, total: seen.append((done, total))) == 3
    assert len(encoded) == 3 and seen == [(2, 3), (3, 3)]  # only what was missing, counted for the progress text
    assert _stored(engine) == 5


def test_no_connection_is_held_while_a_piece_is_encoded(engine, encoded, monkeypatch: pytest.MonkeyPatch) -> None:
    # Walk on PostgreSQL: the encoding ran inside one transaction for minutes (about 20 ms a letter). Each piece is
    # encoded with no connection checked out; only its short write opens a transaction.
    ingest.import_register(engine, NEW.encode(), filename="new.csv")
    texts = _texts(engine)
    real = semantic.vectors
    held: list[int] = []

    def watch(texts, known=None):
        held.append(engine.pool.checkedout())
        return real(texts)

    monkeypatch.setattr(semantic, "vectors", watch)
    monkeypatch.setattr(vectors, "_BATCH", 1)
    assert vectors.encode_missing(engine, texts) == 3
    assert held == [0, 0, 0] and _stored(engine) == 3


def test_a_later_clustering_still_has_every_letters_meaning(engine, encoded) -> None:
    ingest.import_register(engine, OLD.encode(), filename="old.csv")
    summary = ingest.import_register(engine, NEW.encode(), filename="new.csv")
    with session_scope(engine) as s:
        vectors.encode_missing(engine, written_texts(s, summary.written))
    everything = _texts(engine)
    with session_scope(engine) as s:
        assert vectors.missing(s, everything) == 2
        store.recluster(s, load_cases(s))  # encodes what is missing, as 关联分析 does
    with session_scope(engine) as s:
        assert vectors.missing(s, everything) == 0
    assert _stored(engine) == 5
