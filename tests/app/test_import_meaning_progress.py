"""AppTest of 导入's meaning step: only this register's letters are encoded, after they are saved, piece by piece."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from _ui_data import db_url
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.analysis import semantic
from planner.intake import register as ingest
from planner.store import vectors
from planner.store.cases import load_cases
from planner.store.clusters import analysis_texts
from planner.store.database import session_scope
from planner.store.models import CaseRow, TextVectorRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")
HEAD = "编号,收件日期,问题发生地,信访人,反映内容\n"
OLD = HEAD + (
    "A1,2026-09-01,平和县坂仔镇,林一,村干部挪用扶贫蜂箱补助款\n"
    "A2,2026-09-02,华安县仙都镇,陈二,仙都镇卫生院收费不开票\n"
    "A3,2026-09-03,云霄县列屿镇,王三,列屿镇渔船燃油补贴被克扣\n"
)
NEW = HEAD + (
    "B1,2026-10-05,漳浦县官浔镇,张四,村干部侵占征地补偿款\n"
    "B2,2026-10-06,诏安县太平镇,李五,收取桉树砍伐保证金不退\n"
    "A3,2026-09-03,云霄县列屿镇,王三,列屿镇渔船燃油补贴被克扣，至今未发放到户\n"
)


@pytest.fixture()
def encoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A stand-in for the model (a fixed vector per text); the texts it was asked to encode."""
    seen: list[str] = []

    def fake(texts, known=None):
        seen.extend(texts)
        rows = []
        for t in texts:
            seed = int.from_bytes(hashlib.sha1(t.encode()).digest()[:4], "little")
            rows.append(np.random.default_rng(seed).standard_normal(semantic.DIM).astype(np.float32))
        return np.stack(rows) if rows else np.zeros((0, semantic.DIM), np.float32)

    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(semantic, "vectors", fake)
    return seen


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    ingest.import_register(engine, OLD.encode(), filename="old.csv")  # three letters never analysed
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[FILE_KEY] = ("new.csv", NEW.encode())
    return at


def _texts(engine, case_nos) -> list[str]:
    with session_scope(engine) as s:
        return analysis_texts(s, load_cases(s, case_nos=case_nos))


def test_the_import_encodes_only_the_letters_it_added_or_changed(engine, app: AppTest, encoded) -> None:
    # Walk on PostgreSQL: after a 3,000-letter register, 导入 encoded every letter of the database still without a
    # meaning, for minutes, behind a spinner. The older letters are 关联分析's to encode when it needs them.
    app.run()
    app.button(key="import_go").click().run()
    assert not app.exception
    assert sorted(encoded) == sorted(_texts(engine, ["A3", "B1", "B2"]))
    with session_scope(engine) as s:
        assert vectors.missing(s, _texts(engine, ["A1", "A2"])) == 2
    assert any("新增 2" in m.value and "更新 1" in m.value for m in app.success)


def test_letters_and_finished_pieces_are_kept_when_the_encoding_breaks_off(
    engine, app: AppTest, encoded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vectors, "_BATCH", 1)
    fake = semantic.vectors

    def second_piece_fails(texts, known=None):
        if encoded:
            raise RuntimeError("model stopped")
        return fake(texts)

    monkeypatch.setattr(semantic, "vectors", second_piece_fails)
    app.run()
    app.button(key="import_go").click().run()
    assert not app.exception
    assert any("信件已导入" in i.value and "关联分析" in i.value for i in app.info)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(CaseRow)) == 5
        assert s.scalar(select(func.count()).select_from(TextVectorRow)) == 1  # the finished piece
    result = app.session_state[Key.IMPORT_RESULT]
    assert (result["imported"], result["updated"]) == (2, 1)
