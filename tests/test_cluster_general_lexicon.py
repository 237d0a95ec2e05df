"""The general vocabulary of petition matters (issue 18, run 42): one programme named by its official, short and
spoken names links across counties, and the names that were left out keep two matters apart."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.textmine import mine


def _letters(rows: list[tuple[str, str, str]]) -> list[Letter]:
    return [
        Letter(lid, text, dt.date(2026, 3, 1) + dt.timedelta(days=5 * k), address=address, petitioner_key=f"g{k}")
        for k, (lid, address, text) in enumerate(rows)
    ]


def test_fujian_relocation_programme_under_three_names_is_one_issue():
    # 造福工程 is Fujian's name for 易地扶贫搬迁; 异地搬迁 is how people say it.
    letters = _letters([
        ("a", "平和县九峰镇", "造福工程搬迁补助每户应发两万，镇里只发了一万二，剩下的说是统筹了。"),
        ("b", "诏安县官陂镇", "我家是易地扶贫搬迁户，搬迁补助被村干部扣了五千元，说是办手续用的。"),
        ("c", "南靖县书洋镇", "异地搬迁的补助款到现在没有发完，村里说钱还在镇上，问了几次都没有结果。"),
        ("d", "华安县仙都镇", "村里的公益性岗位给了村主任的亲戚，人在外地打工，工资照领。"),
        ("e", "云霄县马铺乡", "护林公益岗位安排给了不在村里的人，每月八百元工资照发。"),
    ])
    res = analyse(letters)
    assert res.issue_of["a"] == res.issue_of["b"] == res.issue_of["c"]
    assert res.issue_of["d"] == res.issue_of["e"]
    assert res.issue_of["a"] != res.issue_of["d"]
    assert res.cluster(res.issue_of["a"]).systemic  # three counties


def test_variant_names_fold_to_one_matter_word():
    assert "扶贫搬迁" in mine("造福工程的补助被扣").cores
    assert "公益岗" in mine("公益性岗位给了亲戚").cores
    assert "农机购置补贴" in mine("购机补贴被冒领").cores
    assert "违建" in mine("村主任私搭乱建没人管").cores


def test_forest_compensation_is_not_folded_into_the_forest_itself():
    # 生态公益林补偿金 keeps its money word: a letter about 盗伐 in a 公益林 and one about its compensation withheld
    # are two matters (the demo register has both in one town).
    cores = mine("2025年生态公益林补偿金村民至今没有领到，每亩150元被村里截留。").cores
    assert "补偿款" in cores and "公益林" in cores


def test_a_word_cut_out_of_two_village_names_links_nothing():
    """Re-walk (2026-12-03): 岱山村 and 下山村 both gave jieba the word 山村, which became a topic word and put a
    水库移民补助 letter into a 危房改造 issue of another county."""
    letters = _letters([
        ("r1", "华安县沙建镇", "岱山村水库移民补助发放名单造假，去世的人也在领补助。"),
        ("r2", "平和县芦溪镇", "下山村危房改造补助发放名单造假，给了不是危房的人家。"),
        ("r3", "南靖县书洋镇", "书洋镇某村危房改造补助被村干部冒领。"),
    ])
    res = analyse(letters)
    assert res.issue_of["r1"] != res.issue_of["r2"]


def test_cutting_the_villages_trees_is_not_the_felling_deposit():
    """Re-walk: "村主任私自砍伐集体林木出售" (盗伐) joined its village's 林木采伐保证金 letter (同村且内容相近)."""
    assert "盗伐" in mine("蕉路村村主任私自砍伐集体林木出售。").cores
    letters = _letters([
        ("f1", "平和县芦溪镇蕉路村", "村里收取林木采伐保证金，砍伐后迟迟不退。"),
        ("f2", "平和县芦溪镇蕉路村", "蕉路村村主任私自砍伐集体林木出售。"),
    ])
    res = analyse(letters)
    assert res.issue_of["f1"] != res.issue_of["f2"]
