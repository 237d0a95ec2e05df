"""回访跟踪's search matches only what the reader can see (re-walk N3).

lead3 (组长, no unmask right) typed R2's ID number, shown to them only as [身份证号已隐去], into 查找信访件 and got
"共 1 件符合": the list masked the letter, the search looked in the raw text and so confirmed who wrote it. The same
for the petitioner's name (蔡文辉, shown 蔡**) and the mobile written in the letter (shown 137****5678).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.followup.worklist import find_visit_choices, matches_query
from planner.office.privacy import matches_search, visible_search_text
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, PetitionerRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
ID_NO, MOBILE, NAME = "350627198001011238", "13712345678", "蔡文辉"
R2 = (f"我叫{NAME}，身份证号{ID_NO}，联系电话{MOBILE}，反映南湖村村干部私分征地补偿款。")
LEAD3 = Actor(username="lead3", role="leader", team_ids=("T3",), can_unmask=False, display_name="黄组长")
COORD = Actor(username="coord", role="coordinator", can_unmask=True, display_name="周协调")


@pytest.fixture()
def seeded(engine):
    with session_scope(engine) as s:
        for no, text, name in (("R2", R2, NAME), ("R9", "反映桉树砍伐保证金不退", "")):
            row = CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                          content=text, category="征地", county="平和县", county_code="350628", town="崎岭乡",
                          village="南湖村", status="registered")
            s.add(row)
            s.flush()
            if name:
                s.add(PetitionerRow(case_id=row.id, name=name, phone=MOBILE, id_number=ID_NO))
    return engine


def test_the_shared_rule_matches_masked_words_and_visible_fields_only() -> None:
    assert matches_search("私分 南湖村", ["R2", "南湖村"], [R2], [NAME])
    assert matches_search("137****5678 蔡**", [], [R2], [NAME])  # what the page shows is searchable
    for identity in (ID_NO, "198001011238", MOBILE, "1371234", NAME, "文辉"):
        assert not matches_search(identity, ["R2", "南湖村"], [R2], [NAME]), identity
    assert ID_NO not in visible_search_text([], [R2], [NAME], unmasked=True)  # ID numbers are never searchable
    assert matches_search(NAME, [], [R2], [NAME], unmasked=True)  # after an audited unmask on a page that has one


@pytest.mark.parametrize("actor", [LEAD3, COORD], ids=["leader_without_unmask", "coordinator_with_unmask"])
def test_an_identity_written_in_a_letter_does_not_find_it(seeded, actor) -> None:
    with session_scope(seeded) as s:
        for identity in (ID_NO, MOBILE, NAME, f"南湖村 {NAME}"):
            found = find_visit_choices(s, TODAY, query=identity, scope="all", actor=actor)
            assert found.total == 0, (identity, [c.case_no for c in found.choices])
            assert not matches_query(s, "R2", identity)
        # The masked words and the case's own fields still find it.
        assert [c.case_no for c in find_visit_choices(s, TODAY, query="私分 崎岭乡", scope="all",
                                                      actor=actor).choices] == ["R2"]
        assert [c.case_no for c in find_visit_choices(s, TODAY, query="5678", scope="all",
                                                      actor=actor).choices] == ["R2"]
        assert {c.case_no for c in find_visit_choices(s, TODAY, query="南湖村", scope="all",
                                                      actor=actor).choices} == {"R2", "R9"}


def test_the_page_says_nothing_matches_an_id_number(seeded, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    at.session_state["actor"] = LEAD3
    at.run()
    at.segmented_control(key="fu_scope").set_value("all").run()
    at.text_input(key="fu_query").input(ID_NO).run()
    assert not at.exception, at.exception
    assert any("没有符合的信访件" in i.value for i in at.info), [i.value for i in at.info]
    assert not [s for s in at.selectbox if s.key == "fu_case"]
    at.text_input(key="fu_query").input("私分").run()
    assert at.selectbox(key="fu_case").value == "R2"
