"""关联分析 → 人工调整 asks for explicit choices (re-walk N7).

The 选择信件 dropdown opened with Streamlit's "全选": one click picked all 48 letters of the group, and 逐件移出 would
then have broken it up. 合并到 started on an unrelated group (I0011 危房改造), one stray click from merging the two.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.store.database import session_scope
from planner.store.models import ClusterDecision

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")
LETTERS = [
    ("E1", "350628", "平和县", "九峰镇", "九峰镇林业站向林农收取桉树砍伐保证金每亩200元，砍伐后不予退还，请求查处。"),
    ("E2", "350627", "南靖县", "书洋镇", "书洋镇林业站收取桉树砍伐保证金，林农砍伐桉树后保证金一直不退。"),
    ("E3", "350629", "华安县", "仙都镇", "仙都镇林业站要求砍伐桉树先交保证金，至今未退还保证金。"),
    ("D1", "350623", "漳浦县", "旧镇镇", "旧镇镇某村村干部优亲厚友，把亲属纳入低保，真正困难户吃不上低保。"),
    ("D2", "350623", "漳浦县", "旧镇镇", "旧镇镇某村低保评定不公，村干部亲属违规享受低保。"),
]


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_letter_picker_has_no_select_all(app: AppTest) -> None:
    picker = app.multiselect(key="cl_letters_pick").proto
    assert len(picker.options) >= 2
    assert picker.HasField("select_all") and picker.select_all == 0  # 0: Streamlit never shows "全选"


def test_merge_and_move_start_empty_and_need_a_choice(engine, app: AppTest) -> None:
    merge_to = app.selectbox(key="cl_merge_target")
    assert merge_to.value is None and merge_to.proto.placeholder == "请选择"
    assert app.button(key="cl_merge").disabled
    assert app.selectbox(key="cl_move_target").value is None

    result = app.session_state[Key.CLUSTER_RESULT]
    other = result.issue_of["D1"] if app.session_state[Key.SELECTED_CLUSTER] != result.issue_of["D1"] \
        else result.issue_of["E1"]
    app.selectbox(key="cl_merge_target").select(other).run()
    assert not app.button(key="cl_merge").disabled
    app.button(key="cl_merge").click().run()
    assert not app.exception, app.exception
    with session_scope(engine) as s:
        assert [d.action for d in s.scalars(select(ClusterDecision))] == ["merge"]
    assert app.selectbox(key="cl_merge_target").value is None  # the next merge is chosen afresh


def test_a_petitioners_name_written_in_the_letter_is_masked_in_the_summaries(engine, monkeypatch) -> None:
    """Helper note (2026-12-03): 关联分析's 摘要 column and letter labels came from PetitionCase.summary, which masks
    numbers but not names: "我叫蔡文辉…" showed the name to a leader who may not see identities."""
    from planner.store.models import CaseRow, PetitionerRow

    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text)
    add_case(engine, "R2", county_code="350628", county="平和县", town="九峰镇",
             content="我叫蔡文辉，九峰镇林业站收取桉树砍伐保证金不退，电话13906961234。")
    with session_scope(engine) as s:
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == "R2")).one()
        row.petitioner = PetitionerRow(name="蔡文辉", phone="13906961234")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    assert not at.exception, at.exception
    shown = " ".join(str(df.value.to_dict()) for df in at.dataframe) + " ".join(
        str(o) for ms in at.multiselect for o in ms.options)
    assert "R2" in shown and "保证金" in shown
    assert "蔡文辉" not in shown and "13906961234" not in shown
