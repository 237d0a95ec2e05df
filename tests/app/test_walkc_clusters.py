"""关联分析 after walk C: 按编号找信件 matches a number whatever its letter case or full-/half-width forms (still
never part of a number), and an account that may not plan (an officer) is not offered 加入选件清单."""

from __future__ import annotations

import pytest
from _ui_data import add_case, db_url
from app_steps import clusters_page, issue_route
from streamlit.testing.v1 import AppTest

from planner.office.security import Actor

LETTERS = [
    ("ZZ-2026-0011", "350628", "平和县", "九峰镇", "九峰镇林业站向林农收取桉树砍伐保证金每亩200元，砍伐后不予退还。"),
    ("ZZ-2026-0012", "350627", "南靖县", "书洋镇", "书洋镇林业站收取桉树砍伐保证金，林农砍伐桉树后保证金一直不退。"),
    ("ZZ-2026-0013", "350629", "华安县", "仙都镇", "仙都镇林业站要求砍伐桉树先交保证金，至今未退还保证金。"),
    ("ZZ-2026-0091", "350623", "漳浦县", "旧镇镇", "旧镇镇某村村干部优亲厚友，把亲属纳入低保，真正困难户吃不上低保。"),
    ("ZZ-2026-0092", "350623", "漳浦县", "旧镇镇", "旧镇镇某村低保评定不公，村干部亲属违规享受低保。"),
]


@pytest.fixture()
def office(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text)
    return engine


def _open(actor: Actor | None = None) -> AppTest:
    at = clusters_page(actor)
    assert not at.exception
    return at


@pytest.mark.parametrize("typed", ["zz-2026-0091", "ＺＺ－２０２６－００９１", "Zz-2026-0091"])
def test_a_number_matches_whatever_its_case_or_width(office, typed: str) -> None:
    app = _open()
    app.text_area(key="cl_add_nos").input(typed).run()
    assert not app.exception
    assert not any("没有找到这些编号" in w.value for w in app.warning), [w.value for w in app.warning]
    assert any(t.value.startswith("ZZ-2026-0091｜") for t in app.text)
    assert not app.button(key="cl_restore_typed").disabled


def test_part_of_a_number_in_another_case_is_still_not_found(office) -> None:
    app = _open()
    app.text_area(key="cl_add_nos").input("zz-2026-009").run()
    assert any("没有找到这些编号：zz-2026-009" in w.value for w in app.warning)
    assert not [t for t in app.text if "｜" in t.value]  # no letter named as found
    assert app.button(key="cl_restore_typed").disabled


def test_an_officer_is_not_offered_the_selection(office) -> None:
    # the 低保 letters are on 第一检查组's route
    issue_route(office, [(no, "V1", "T1") for no in ("ZZ-2026-0091", "ZZ-2026-0092")])
    coordinator = _open(Actor("coord", "coordinator", display_name="协调员"))
    assert [b for b in coordinator.button if b.key == "cl_add_to_selection"]  # who plans is offered it
    officer = _open(Actor("off1", "officer", team_ids=("T1",), display_name="干部"))
    assert any(b.key == "cl_add" for b in officer.button)  # the officer sees their group's detail
    assert not [b for b in officer.button if b.key == "cl_add_to_selection"]
    assert not any("加入选件清单" in b.label for b in officer.button)
