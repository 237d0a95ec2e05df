"""Walk W16: 选件's 同类问题 filter listed every stored issue group (87, 74 of them single letters, e.g. 银行、农商、
信贷员 → one letter), sorted by id and without sizes, where 关联分析 showed 13. It now offers the groups 关联分析 shows
(2+ letters), in its order (systemic first, then larger), each with its size and how many counties it spans."""

from __future__ import annotations

from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.store.cases import load_cases
from planner.store.clusters import recluster
from planner.store.database import session_scope
from planner.store.models import TeamRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "selection.py")

LETTERS = [
    ("E1", "350628", "平和县", "九峰镇", "九峰镇林业站向林农收取桉树砍伐保证金每亩200元，砍伐后不予退还，请求查处。"),
    ("E2", "350627", "南靖县", "书洋镇", "书洋镇林业站收取桉树砍伐保证金，林农砍伐桉树后保证金一直不退。"),
    ("E3", "350629", "华安县", "仙都镇", "仙都镇林业站要求砍伐桉树先交保证金，至今未退还保证金。"),
    ("F1", "350623", "漳浦县", "旧镇镇", "旧镇镇渔船燃油补贴被镇海洋与渔业站工作人员克扣，每条船少发两千元。"),
    ("F2", "350626", "东山县", "前楼镇", "前楼镇渔船燃油补贴被镇海洋与渔业站克扣，每条船少发两千元，没有任何说法。"),
    ("X1", "350602", "芗城区", "石亭镇", "石亭镇某工程偷工减料，道路刚修好就开裂。"),
    ("X2", "350681", "龙海区", "海澄镇", "海澄镇农商银行信贷员违规放贷，收取好处费。"),
]


def test_the_issue_filter_offers_the_groups_of_the_analysis_in_its_order(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text)
    with session_scope(engine) as s:
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51))
    with session_scope(engine) as s:
        result = recluster(s, load_cases(s), save=True)  # what 关联分析 stores for a coordinator
    deposit, fuel = result.issue_of["E1"], result.issue_of["F1"]
    assert result.cluster(deposit).size == 3 and result.cluster(fuel).size == 2
    assert result.issue_of["X1"] != result.issue_of["X2"]  # two single letters: stored, but no related issue
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    assert not at.exception
    picker = at.selectbox(key="sel_cluster")
    assert picker.options[1:] == [
        f"{result.cluster(deposit).label}（3 件，跨 3 个区县，系统性问题）",
        f"{result.cluster(fuel).label}（2 件，跨 2 个区县）",
    ], picker.options
    picker.set_value(fuel).run()
    assert not at.exception
    assert set(at.dataframe[0].value["编号"]) == {"F1", "F2"}
