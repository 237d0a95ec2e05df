"""关联分析 shows why a letter is in its group: for a group joined by meaning, the 语义相似度 (walk M: the letters of
a group joined by meaning showed only a stray common word and 内容相似度 0.05, cut after the first two reasons)."""

from __future__ import annotations

from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")
LETTERS = [
    ("A1", "350626", "东山县", "铜陵镇", "铜陵镇有人拿报废的渔船继续领燃油补贴，一年好几万。"),
    ("A2", "350623", "漳浦县", "旧镇镇", "旧镇镇渔民的柴油补贴被人冒领，船早就卖了还在领。"),
    ("A3", "350623", "漳浦县", "古雷镇", "古雷镇油价补贴名单里有好几条不出海的船，钱照样被领走。"),
    ("L1", "350622", "云霄县", "列屿镇",
     "村里给独居老人装的一键呼叫器，说是政府免费的，结果每户收了一百五十元安装费。"),
    ("L2", "350624", "诏安县", "太平镇", "老年人的应急报警器本来是免费发放的，装的人说要交八十元服务费才给开通。"),
]


def test_a_group_joined_by_meaning_says_so(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["actor"] = Actor("coord", "coordinator", display_name="协调员")
    at.run()
    assert not at.exception
    result = at.session_state[Key.CLUSTER_RESULT]
    assert result.issue_of["L1"] == result.issue_of["L2"]
    # The table's 热点 counts places with 2+ letters, as the 热点 card does (walk M: 4 in the table, 3 on the card).
    table = at.dataframe[0].value
    row = table[table["编号"] == result.issue_of["L1"]]
    assert list(row["热点"]) == [0]
    at.selectbox(key="cl_pick").set_value(result.issue_of["L1"]).run()
    assert not at.exception
    shown = " ".join(str(df.value.to_string()) for df in at.dataframe) + " ".join(str(m.value) for m in at.markdown)
    assert "语义相似度" in shown
