"""Lists on 首页, 案件地图 and 选件 show each letter's first words; a petitioner's own name written there
("我叫蔡文辉…") is masked like the ID and phone numbers (found after the 关联分析 fix, 2026-12-03: PetitionCase.summary
masked numbers only). The library side, ``planner.store.cases.masked_summaries``, is what every list uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor
from planner.store.cases import load_cases, masked_summaries
from planner.store.database import session_scope
from planner.store.models import CaseRow, PetitionerRow

ROOT = Path(__file__).resolve().parents[2]
TEXT = "我叫蔡文辉，九峰镇林业站收取桉树砍伐保证金不退，电话13906961234。"


def _seed(engine) -> None:
    add_case(engine, "R2", county="平和县", town="九峰镇", content=TEXT, deadline=TODAY)
    add_case(engine, "R3", county="平和县", town="九峰镇", content="九峰镇林业站收取桉树砍伐保证金不退。",
             deadline=TODAY)
    with session_scope(engine) as s:
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == "R2")).one()
        row.petitioner = PetitionerRow(name="蔡文辉", phone="13906961234")


def test_masked_summaries_hide_the_name_and_keep_the_matter(engine) -> None:
    _seed(engine)
    with session_scope(engine) as s:
        got = masked_summaries(s, load_cases(s), 60)
    assert "蔡文辉" not in got["R2"] and "13906961234" not in got["R2"] and "保证金" in got["R2"]
    assert got["R3"].startswith("九峰镇林业站")


@pytest.mark.parametrize("page", ["home.py", "case_map.py", "selection.py"])
def test_lists_never_show_the_name(engine, monkeypatch, page: str) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    _seed(engine)
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["actor"] = Actor("coord", "coordinator", display_name="陈协调")
    at.run()
    assert not at.exception, at.exception
    shown = " ".join(str(df.value.to_dict()) for df in at.dataframe)
    assert "R2" in shown
    assert "蔡文辉" not in shown and "13906961234" not in shown
