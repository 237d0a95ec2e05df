"""Walk W16 (关联分析 at 1366 px): the 重复举报 table began with internal chain ids (R-漳纪信〔2026〕1073号), cut its
letters after the second, and said 重复举报 2 次 of a chain of two letters (one repeat); the issue table began with
internal ids (I0008) and cut its 区县 and 系统性 cells (跨 2 个区, 长泰区、南靖县、); a letter's 热点 repeated the
issue's words and wrapped a lone ） onto a line of its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")
TABLE_AT_1366_PX = 900  # the main column's width at 1366 px with the menu open

LAND = "法华村支书林国栋在土地征收中虚报青苗数量，套取青苗补偿款，群众多次反映无人处理。"
LETTERS = [
    ("漳纪信〔2026〕1001号", "350628", "平和县", "九峰镇", "九峰镇林业站向林农收取桉树砍伐保证金每亩200元不退。"),
    ("漳纪信〔2026〕1002号", "350627", "南靖县", "书洋镇", "书洋镇林业站收取桉树砍伐保证金，砍伐后保证金一直不退。"),
    ("漳纪信〔2026〕1003号", "350629", "华安县", "仙都镇", "仙都镇林业站要求砍伐桉树先交保证金，至今未退还保证金。"),
    ("漳纪信〔2026〕1004号", "350605", "长泰区", "枋洋镇", "枋洋镇林业站违规收取桉树砍伐保证金，请纪委核实。"),
    ("漳纪信〔2026〕1005号", "350629", "华安县", "仙都镇", "仙都镇林业站收取砍伐桉树保证金不退，林农意见很大。"),
    ("漳纪信〔2026〕1010号", "350628", "平和县", "南胜镇", LAND),
    ("漳纪信〔2026〕1011号", "350628", "平和县", "南胜镇", "再次反映：" + LAND),
]


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    assert not at.exception
    return at


def _widths(table) -> dict[str, object]:
    config = json.loads(table.proto.columns or "{}")
    return {name: (config.get(name) or {}).get("width") for name in table.value.columns}


def test_the_repeat_table_names_letters_not_chain_ids_and_counts_repeats(app: AppTest) -> None:
    assert app.session_state[Key.CLUSTER_RESULT].repeats, "the two land letters are a repeat chain"
    table = next(d for d in app.dataframe if "信件（按时间）" in d.value.columns)
    rows = table.value
    assert "编号" not in rows.columns
    assert not any(str(v).startswith("R-") for col in rows.columns for v in rows[col])
    chain = rows.iloc[0]
    assert chain["来信"] == "共 2 封（重复 1 次）"
    assert "重复举报" not in chain["问题"]
    assert chain["信件（按时间）"] == "漳纪信〔2026〕1010号 → 漳纪信〔2026〕1011号"
    widths = _widths(table)
    assert all(isinstance(w, int) for w in widths.values()), widths
    assert sum(widths.values()) <= TABLE_AT_1366_PX, widths


def test_the_issue_table_leads_with_the_issue_and_fits_at_1366_px(app: AppTest) -> None:
    table = app.dataframe[0]
    columns = list(table.value.columns)
    assert (columns[0], columns[-1]) == ("问题", "编号"), columns
    widths = _widths(table)
    assert all(isinstance(w, int) for w in widths.values()), widths
    assert sum(widths.values()) <= TABLE_AT_1366_PX, widths
    assert widths["编号"] <= 64 and widths["系统性"] >= 100, widths
    deposit = table.value.iloc[0]
    assert deposit["系统性"] == "是" and len(deposit["区县"]) > 10  # four counties: more than a line of the column
    assert table.proto.row_height > 64, "rows of one line: the counties are cut off, not wrapped"


def test_a_letters_hotspot_is_its_place(app: AppTest) -> None:
    letters = next(d.value for d in app.dataframe if "摘要" in d.value.columns)
    spots = {v for v in letters["热点"] if v}
    assert spots and all(v.startswith("仙都") and "（" not in v and "保证金" not in v for v in spots), spots
