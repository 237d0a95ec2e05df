"""关联分析 with cadres paying themselves (browser walk as a leader): the member table says the practice the letters
share as what it is, not 滥发补贴（原文：同义词）; a 待确认关联 card names each letter's village, so that a leader sees
at once that the two are other villages' cadres."""

from __future__ import annotations

import datetime as dt

from _ui_data import db_url
from app_steps import clusters_page
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow

LEADER = Actor("lead1", "leader", team_ids=("T1",), display_name="组长")
TOLD = "的村干部每月给自己发误工补贴，每人五六百，村民代表会从来没讨论过，请求查处。"
LETTERS = [  # case no, county, town, village, text (the template's letters do not name their village)
    ("P1", "350629", "华安县", "仙都镇", "大地村", "大地村的村干部每月给自己发误工补贴，每人五六百，没讨论过。"),
    ("P2", "350629", "华安县", "仙都镇", "大地村", "我们大地村两委用集体收入给自己发加班费，还各发过节费。"),
    ("P3", "350605", "长泰区", "陈巷镇", "雪美村", "我们村" + TOLD),
    ("P4", "350622", "云霄县", "火田镇", "岳坑村", "我们村" + TOLD),
    ("P5", "350604", "龙海区", "紫泥镇", "锦田村", "锦田村的垃圾站建在水源边上，臭气熏天，夏天苍蝇成群。"),
]


def _office(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        for k, (no, code, county, town, village, text) in enumerate(LETTERS):
            day = dt.date(2026, 10, 5) + dt.timedelta(days=k)
            s.add(CaseRow(case_no=no, received_date=day, deadline=day + dt.timedelta(days=60), category="村务财务",
                          content=text, title="", county=county, county_code=code, town=town, village=village,
                          address_text=f"{county}{town}{village}", lon=117.5, lat=24.7, precision="village",
                          status="registered"))
    at = clusters_page(LEADER, timeout=90)
    assert not at.exception
    return at


def test_the_member_table_says_the_shared_practice_as_what_it_is(engine, monkeypatch) -> None:
    at = _office(engine, monkeypatch)
    result = at.session_state[Key.CLUSTER_RESULT]
    group = result.issue_of["P1"]
    assert result.issue_of["P2"] == group
    at.selectbox(key="cl_pick").set_value(group).run()
    letters = at.dataframe[1].value
    why = letters[letters["编号"] == "P2"].iloc[0]["与 P1 的关联"]
    assert "滥发补贴（村干部给自己发补贴）" in why
    assert "同义词" not in why


def test_a_review_card_names_each_letters_village(engine, monkeypatch) -> None:
    at = _office(engine, monkeypatch)
    result = at.session_state[Key.CLUSTER_RESULT]
    assert result.issue_of["P3"] != result.issue_of["P4"]
    card = [t.value for t in at.text if t.value.startswith(("P3：", "P4："))]
    # One letter told at two villages, neither naming its village: the card is where a leader reads the places.
    assert "P3：长泰区陈巷镇雪美村 我们村的村干部" in "\n".join(card)
    assert "P4：云霄县火田镇岳坑村 我们村的村干部" in "\n".join(card)
    said = [m.value for m in at.markdown if m.value.startswith("反对：")]
    assert any("雪美村 / 岳坑村" in s and "各是各村的问题" in s for s in said), said
