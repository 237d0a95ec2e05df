"""关联分析 › 多发问题 (walk W21): the same complaint told alike at several places, each place's own matter, shown to
whoever opens the page over the letters that account sees, as the other tabs are."""

from __future__ import annotations

import pytest
from _ui_data import add_case, db_url
from app_steps import clusters_page, issue_route

from planner.office.security import Actor

COORDINATOR = Actor("coord", "coordinator", display_name="协调员")
OFFICER = Actor("off1", "officer", team_ids=("T1",), display_name="干部")
LEADER = Actor("lead2", "leader", team_ids=("T2",), display_name="组长")

WORDS = "村集体鱼塘低价发包给村主任亲戚。请求上级查处"
LETTERS = [
    ("F1", "350602", "芗城区", "浦南镇", "溪园村" + WORDS),
    ("F2", "350604", "龙海区", "角美镇", "锦宅村" + WORDS),
    ("F3", "350605", "长泰区", "岩溪镇", "湖珠村" + WORDS),
    ("F4", "350623", "漳浦县", "佛昙镇", "岸头村" + WORDS),
    ("U1", "350629", "华安县", "沙建镇", "岱山村河道夜间有人非法采砂，运砂车压坏村道。"),
]


@pytest.fixture()
def office(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in LETTERS:
        add_case(engine, no, county_code=code, county=county, town=town, content=text)
    issue_route(engine, [("F1", "V1", "T1")])  # 第一检查组's: a leader of 第二检查组 does not see it
    return engine


def _table(at):
    tables = [d.value for d in at.dataframe if "反映内容（各地说法相同）" in d.value.columns]
    return tables[0] if tables else None


def test_the_same_complaint_at_four_places_is_one_pattern_of_each_places_own_matter(office):
    at = clusters_page(COORDINATOR)
    assert not at.exception
    table = _table(at)
    assert table is not None and list(table["件数"]) == [4] and list(table["区县"]) == [4]
    assert "鱼塘低价发包给村主任亲戚" in table["反映内容（各地说法相同）"].iloc[0]
    assert list(table["问题组"]) == [4]  # each village's letter stays its own group
    assert any("各地各自的问题" in c.value for c in at.caption)
    assert any("各地各自的问题" in e.label for e in at.expander)


def test_a_leader_and_an_officer_see_the_pattern_among_their_own_letters_only(office):
    lead = clusters_page(LEADER)
    assert not lead.exception
    table = _table(lead)
    assert table is not None and list(table["件数"]) == [3]  # F1 is another team's
    officer = clusters_page(OFFICER)
    assert not officer.exception
    assert _table(officer) is None  # one letter of it: no pattern
