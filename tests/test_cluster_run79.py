"""Run 79: practices told in other words at one village, forced purchases as money taken, papers as no topic word,
and a writer's letter that says it writes again about another matter elsewhere."""

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.practices import practice_cores
from planner.analysis.topics import _money_kinds


def _on(day):
    return dt.date(2026, 3, 1) + dt.timedelta(days=day)


def test_an_officials_absence_told_three_ways_at_one_village_is_one_matter():
    letters = [
        Letter("a", "储坑村书记一年到头人在厦门做建材生意，我们要盖个章都得等他月底回来。", _on(0),
               address="南靖县书洋镇储坑村"),
        Letter("b", "支部负责人长期脱岗，外出经商，办事群众多次扑空。", _on(9), address="南靖县书洋镇储坑村"),
        Letter("c", "我们这边的村官当甩手掌柜，跑去外地赚钱，工资照拿，什么事都扔给会计。", _on(20),
               address="南靖县书洋镇储坑村"),
        # Another village's absent secretary is that village's own matter.
        Letter("d", "石桥村支书常年在外地开厂，村里的事都没人管，办事找不到人。", _on(25),
               address="南靖县书洋镇石桥村"),
    ]
    res = analyse(letters)
    assert res.issue_of["a"] == res.issue_of["b"] == res.issue_of["c"] != res.issue_of["d"]
    assert "脱岗" in res.explain("a", "c").shared_terms
    assert res.cluster(res.issue_of["a"]).label.startswith("干部脱岗")


def test_a_village_car_used_privately_and_an_old_school_sold_are_each_one_matter_at_their_village():
    letters = [
        Letter("a", "磁窑村委会买的那辆面包车，天天是支书开去接他孙子上下学，周末还拉一家人去海边玩，油钱村里报。",
               _on(0), address="东山县杏陈镇磁窑村"),
        Letter("b", "磁窑村那台车，村里的事从来不用，上个月支书开去厦门喝喜酒，修车钱又是村里出的。", _on(6),
               address="东山县杏陈镇磁窑村"),
        Letter("c", "磁窑村原来的小学校舍，去年村里没开会就卖给了村主任的哥哥，才卖二十万。", _on(12),
               address="东山县杏陈镇磁窑村"),
        Letter("d", "磁窑村集体资产（原村小校舍）低价处置，未经村民代表大会表决。", _on(15),
               address="东山县杏陈镇磁窑村"),
    ]
    res = analyse(letters)
    assert res.issue_of["a"] == res.issue_of["b"] != res.issue_of["c"] == res.issue_of["d"]


def test_practice_words_need_the_official_and_the_deed():
    assert practice_cores("村主任的儿子在外地打工，却领着低保。") == ()  # the son is away, not the official
    assert practice_cores("学校的校车每天接孩子上下学超载。") == ()  # a school bus doing its job
    assert practice_cores("老学校租给别人办厂，租金去向不明。") == ()  # a lease is another matter
    assert practice_cores("村里的车撞了我家孩子，不赔钱。") == ()
    assert practice_cores("支部负责人长期脱岗，外出经商。") == ("脱岗",)


def test_a_forced_purchase_is_money_taken():
    assert "in" in _money_kinds("村里每户强制买两个分类垃圾桶，一套一百六。")
    assert "in" in _money_kinds("要求店铺门口都摆统一的环保桶，只能去镇上指定的一家买。")
    assert "in" not in _money_kinds("我在县城店里买了台洗衣机。")


def test_an_id_card_shared_is_no_matter_in_common():
    # 以旧换新 subsidies drawn on villagers' ID cards, and 育儿补贴 taken as a fee by a clerk holding the ID cards.
    letters = [
        Letter("a", "天宝镇上一家电动车店搞以旧换新，要了我们身份证拍照，结果补贴被店里领了。", _on(0),
               address="芗城区天宝镇"),
        Letter("b", "华丰镇有人用村民身份证成批申请以旧换新补贴，一个人名下报了三辆电动车。", _on(5),
               address="华安县华丰镇"),
        Letter("c", "林墘村的卫健专干拿了村里十几户的身份证和银行卡，说帮大家领育儿补贴，钱到帐后她取走一半。",
               _on(9), address="诏安县四都镇林墘村"),
    ]
    res = analyse(letters)
    assert res.issue_of["a"] == res.issue_of["b"] != res.issue_of["c"]


def test_writing_again_about_another_matter_in_another_county_is_no_repeat_of_the_first():
    letters = [
        Letter("a", "反映内角村党支部书记长期不在岗，办事推诿，群众意见很大。", _on(0), address="华安县丰山镇内角村",
               petitioner_key="w1"),
        Letter("b", "再次反映：内角村党支部书记长期不在岗，至今没人处理。", _on(30), address="华安县丰山镇内角村",
               petitioner_key="w1"),
        Letter("c", "再次反映：闽南鑫盛石材公司在步文街道非法开采石头，炮声震裂房子，粉尘很大。", _on(40),
               address="龙文区步文街道", petitioner_key="w1"),
    ]
    res = analyse(letters)
    assert res.issue_of["a"] == res.issue_of["b"] != res.issue_of["c"]


def test_writing_again_at_one_village_in_other_words_stays_one_matter():
    letters = [
        Letter("a", "坎下村换届选举前，有人挨家挨户送红包，一票两百，还说选上以后还有。", _on(0),
               address="南靖县梅林镇坎下村", petitioner_key="w2"),
        Letter("b", "买票的事我之前反映过，现在那个人已经当上主任了，村里人都说是花钱买的，请纪委来调查。", _on(40),
               address="南靖县梅林镇坎下村", petitioner_key="w2"),
    ]
    res = analyse(letters)
    assert res.issue_of["a"] == res.issue_of["b"]

