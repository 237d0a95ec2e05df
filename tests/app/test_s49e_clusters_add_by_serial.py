"""Walk W16: 关联分析 → 人工调整 → 按编号找信件 refused "1120"; only the full 漳纪信〔2026〕1120号 was taken, though the
hint named that very letter. Digits that are exactly one letter's number part now name it (and say which letter was
taken); digits that are the number part of several letters list them; digits of none are still refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")

E1, E2, E3 = "漳纪信〔2026〕1101号", "漳纪信〔2026〕1102号", "漳纪信〔2026〕1103号"
X1, Y1, Y2 = "漳纪信〔2026〕1120号", "漳纪信〔2025〕1130号", "漳纪信〔2026〕1130号"
LETTERS = [
    (E1, "350628", "平和县", "九峰镇", "九峰镇林业站向林农收取桉树砍伐保证金每亩200元，砍伐后不予退还，请求查处。"),
    (E2, "350627", "南靖县", "书洋镇", "书洋镇林业站收取桉树砍伐保证金，林农砍伐桉树后保证金一直不退。"),
    (E3, "350629", "华安县", "仙都镇", "仙都镇林业站要求砍伐桉树先交保证金，至今未退还保证金。"),
    (X1, "350602", "芗城区", "石亭镇", "石亭镇某工程偷工减料，道路刚修好就开裂。"),
    (Y1, "350623", "漳浦县", "旧镇镇", "旧镇镇某村村干部优亲厚友，把亲属纳入低保。"),
    (Y2, "350626", "东山县", "前楼镇", "前楼镇渔船燃油补贴被克扣，每条船少发两千元。"),
]


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    return at


def test_a_letters_number_part_adds_it_several_are_listed_none_refused(app: AppTest) -> None:
    app.run()
    assert not app.exception
    deposit = app.session_state[Key.CLUSTER_RESULT].issue_of[E1]
    assert app.session_state[Key.SELECTED_CLUSTER] == deposit
    assert app.session_state[Key.CLUSTER_RESULT].issue_of[X1] != deposit

    app.text_area(key="cl_add_nos").input("1130 9999").run()
    assert not app.exception
    assert app.button(key="cl_add").disabled
    several = next(w.value for w in app.warning if "1130" in w.value)
    assert Y1 in several and Y2 in several and "完整编号" in several
    assert any("没有找到这些编号：9999" in w.value for w in app.warning)

    app.text_area(key="cl_add_nos").input("1120").run()
    assert not app.exception
    assert any(f"1120 → {X1}" in c.value for c in app.caption), [c.value for c in app.caption]
    assert not any("没有找到" in w.value for w in app.warning)
    assert app.button(key="cl_add").label == "加入本组（1 件）"
    app.button(key="cl_add").click().run()
    assert not app.exception
    assert app.session_state[Key.CLUSTER_RESULT].issue_of[X1] == deposit
