"""Walk W5 (stop 41): a group of two counties read blank under 系统性, and the systemic banner said "跨 4 个区县"
without naming them (the 区县 column is cut off at 1366 px and hidden on a phone)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")

LETTERS = [
    ("E1", "350628", "平和县", "九峰镇", "九峰镇林业站向林农收取桉树砍伐保证金每亩200元，砍伐后不予退还，请求查处。"),
    ("E2", "350627", "南靖县", "书洋镇", "书洋镇林业站收取桉树砍伐保证金，林农砍伐桉树后保证金一直不退。"),
    ("E3", "350629", "华安县", "仙都镇", "仙都镇林业站要求砍伐桉树先交保证金，至今未退还保证金。"),
    ("F1", "350623", "漳浦县", "旧镇镇", "旧镇镇渔船燃油补贴被镇海洋与渔业站工作人员克扣，每条船少发两千元。"),
    ("F2", "350626", "东山县", "前楼镇", "前楼镇渔船燃油补贴被镇海洋与渔业站克扣，每条船少发两千元，没有任何说法。"),
    ("X1", "350602", "芗城区", "石亭镇", "石亭镇某工程偷工减料，道路刚修好就开裂。"),
]


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    return at


def test_two_counties_are_said_and_the_systemic_banner_names_its_counties(app: AppTest) -> None:
    app.run()
    assert not app.exception
    table = app.dataframe[0].value
    by_size = dict(zip(table["件数"], table["系统性"], strict=True))
    assert by_size[3] == "是"
    assert by_size[2] == "跨 2 个区县"
    banner = next(w.value for w in app.warning if "系统性问题" in w.value)
    assert all(c in banner for c in ("平和县", "南靖县", "华安县")), banner
    fuel = next(r for r in table.itertuples() if r.件数 == 2).编号
    app.selectbox(key="cl_pick").set_value(fuel).run()
    note = next(i.value for i in app.info if "涉及 2 个区县" in i.value)
    assert "漳浦县" in note and "东山县" in note and "满 3 个区县" in note
    assert not any("系统性问题：建议" in w.value for w in app.warning)
