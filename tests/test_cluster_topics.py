"""Recall across places through topic words learned from the register (issue 18, dev2): a matter whose words
no lexicon lists (退耕还林, 残疾证) still links across towns, while the precision guards hold."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Letter, analyse


def _letters(rows: list[tuple[str, str, str]]) -> list[Letter]:
    return [
        Letter(lid, text, dt.date(2026, 1, 1) + dt.timedelta(days=7 * k), address=address, petitioner_key=f"p{k}")
        for k, (lid, address, text) in enumerate(rows)
    ]


_ONE_OFFS = [
    ("x1", "平和县小溪镇", "小溪镇街上的饭店油烟很大，晚上十点还在炒菜。"),
    ("x2", "南靖县船场镇", "船场镇卫生院看病排队太久，医生态度差。"),
    ("x3", "华安县沙建镇", "沙建镇有人在河边倒建筑垃圾，下雨就冲到河里。"),
    ("x4", "漳浦县佛昙镇", "佛昙镇中学门口摊贩占道，放学时堵得走不了。"),
]


def test_a_programme_named_in_no_lexicon_links_across_counties():
    letters = _letters([
        ("t1", "平和县小溪镇", "小溪镇退耕还林补助每亩被扣了二十元，说是管护费，没有收据。"),
        ("t2", "南靖县船场镇", "船场镇林业站发退耕还林补贴时，每户扣五十元工本费。"),
        ("t3", "华安县沙建镇", "沙建镇退耕还林的补助款只发了一半，问了没人讲清楚扣到哪里去。"),
        *_ONE_OFFS,
    ])
    res = analyse(letters)
    assert res.issue_of["t1"] == res.issue_of["t2"] == res.issue_of["t3"]
    assert len({res.issue_of[x] for x in ("x1", "x2", "x3", "x4", "t1")}) == 5


def test_a_fee_by_any_name_for_one_certificate_is_one_practice():
    letters = _letters([
        ("c1", "漳浦县旧镇镇", "旧镇镇残联专干办残疾证要收五百块好处费，不给就拖着。"),
        ("c2", "东山县陈城镇", "陈城镇办残疾证每人收三百元跑腿费，没残疾的也能办到。"),
        *_ONE_OFFS,
    ])
    res = analyse(letters)
    assert res.issue_of["c1"] == res.issue_of["c2"]


def test_two_named_villages_with_their_own_cadres_stay_two_matters():
    letters = _letters([
        # Favouritism in choosing who gets it (money kept or docked at both would be one matter since run 66).
        ("v1", "平和县小溪镇", "小溪镇新桥村村支书评退耕还林补助时优亲厚友，把名额给了自己的亲戚。"),
        ("v2", "南靖县船场镇", "船场镇梅林村村会计把退耕还林补助名额报给关系户，真正退耕的评不上。"),
        *_ONE_OFFS,
    ])
    res = analyse(letters)
    assert res.issue_of["v1"] != res.issue_of["v2"]


def test_two_named_charges_on_one_object_stay_two_matters():
    letters = _letters([
        ("f1", "平和县小溪镇", "小溪镇办理林权证要交测绘费三百元，没有票据。"),
        ("f2", "南靖县船场镇", "船场镇办理林权证先交保证金五百元，办完也不退。"),
        *_ONE_OFFS,
    ])
    res = analyse(letters)
    assert res.issue_of["f1"] != res.issue_of["f2"]


def test_money_paid_out_and_money_taken_are_two_matters():
    letters = _letters([
        ("m1", "东山县铜陵镇", "铜陵镇有人拿报废的渔船继续领燃油补贴，一年好几万。"),
        ("m2", "漳浦县六鳌镇", "六鳌镇渔船年检要先交两百块钱给站里的人，不交不给过。"),
        *_ONE_OFFS,
    ])
    res = analyse(letters)
    assert res.issue_of["m1"] != res.issue_of["m2"]


def test_a_programme_named_by_its_money_links_across_counties():
    letters = _letters([
        ("o1", "漳浦县旧镇镇", "旧镇镇渔民的柴油补贴被人冒领，船早就卖了还在领。"),
        ("o2", "漳浦县古雷镇", "古雷镇油价补贴名单里有好几条不出海的船，钱照样被领走。"),
        ("o3", "东山县铜陵镇", "铜陵镇燃油补助发给了没有船的人，请查一查。"),
        *_ONE_OFFS,
    ])
    res = analyse(letters)
    assert res.issue_of["o1"] == res.issue_of["o2"] == res.issue_of["o3"]


def test_cached_topic_words_are_the_plain_computation():
    from planner.analysis.linking import _is_anchor

    letters = _letters([
        ("t1", "平和县小溪镇", "小溪镇退耕还林补助每亩被扣了二十元，说是管护费，没有收据。"),
        ("t2", "南靖县船场镇", "船场镇林业站发退耕还林补贴时，每户扣五十元工本费。"),
        ("c1", "漳浦县旧镇镇", "旧镇镇残联专干办残疾证要收五百块好处费，不给就拖着。"),
        ("c2", "东山县陈城镇", "陈城镇办残疾证每人收三百元跑腿费，没残疾的也能办到。"),
        *_ONE_OFFS,
    ])
    state = analyse(letters)._state
    limit = 2 * max(3.0, 0.03 * len(letters))
    assert state.anchor_words
    for i, words in state.anchor_words.items():
        assert words == {t for t in state.evidence[i].tokens if _is_anchor(state, t, limit)}



def test_a_public_programme_links_across_towns_without_naming_the_money():
    # Neither letter says which way money went; the programme (学生营养餐, by three of its names) is the matter.
    letters = _letters([
        ("m1", "平和县小溪镇", "小溪镇中心小学的营养午餐越来越差，一餐只有米饭和一点咸菜。"),
        ("m2", "南靖县船场镇", "船场镇学校营养改善计划的饭菜份量很少，孩子中午吃不饱。"),
        ("m3", "华安县沙建镇", "沙建镇中学学生营养餐供应的牛奶常常过期，标准达不到。"),
        *_ONE_OFFS,
    ])
    res = analyse(letters)
    assert res.issue_of["m1"] == res.issue_of["m2"] == res.issue_of["m3"]
    assert len({res.issue_of[x] for x in ("x1", "x2", "x3", "x4", "m1")}) == 5


def test_one_harm_at_two_towns_is_one_issue_at_two_hotspots():
    # A refuse station by two names (垃圾中转站 is a 垃圾站): the same kind of matter, each town its own hotspot.
    letters = _letters([
        ("g1", "平和县小溪镇", "小溪镇垃圾中转站臭味很大，苍蝇飞到我们家里。"),
        ("g2", "南靖县船场镇", "船场镇的垃圾站天天冒臭味，附近的人窗户都不敢开。"),
        *_ONE_OFFS,
    ])
    res = analyse(letters)
    assert res.issue_of["g1"] == res.issue_of["g2"]
    assert res.hotspot_of["g1"] != res.hotspot_of["g2"]


def test_one_place_one_matter_told_with_words_of_one_family():
    # 承包费 / 租金: one pond contract at one village told from two sides (without the family the core words
    # differ and the gate says 核心事项不同). A third letter with almost no word in common (发包没有公开招标) is not
    # even a candidate: candidates need a similarity of at least min_similarity.
    letters = _letters([
        ("p1", "龙海区白水镇山边村", "山边村集体鱼塘承包费一年才一百元一亩，包给了村主任的亲戚。"),
        ("p3", "龙海区白水镇山边村", "山边村的鱼塘租金太低，合同一签三十年，集体吃大亏。"),
        *_ONE_OFFS,
    ])
    res = analyse(letters)
    assert res.issue_of["p1"] == res.issue_of["p3"]
    assert len({res.issue_of[x] for x in ("x1", "x2", "x3", "x4", "p1")}) == 5


def test_two_matters_at_one_estate_are_not_one_family():
    letters = _letters([
        ("e1", "芗城区丽园小区", "丽园小区开发商强制业主买车位，不买车位就不给交房。"),
        ("e2", "芗城区丽园小区", "丽园小区物业费每平方三元，比周边都贵，服务还很差。"),
        *_ONE_OFFS,
    ])
    res = analyse(letters)
    assert res.issue_of["e1"] != res.issue_of["e2"]


def test_wages_withheld_under_one_scheme_link_across_counties():
    # Wages, pay and labour fees are money paid out to people, like a subsidy: a scheme's wages docked, owed or
    # drawn for others is one practice across towns (dev3, 以工代赈). Before, a letter naming only 报酬 or 工资 had
    # "no direction of money" and the topic word alone could not link it.
    letters = _letters([
        ("w1", "云霄县和平乡", "和平乡以工代赈工地干了一个月，工钱只发了一半，说是扣了管理费。"),
        ("w2", "华安县马坑乡", "马坑乡以工代赈项目拖欠我们的劳务报酬，干完活半年了还不发。"),
        ("w3", "诏安县红星乡", "红星乡以工代赈修水渠，我们干活的工资被包工头扣了三成。"),
        *_ONE_OFFS,
    ])
    res = analyse(letters)
    assert res.issue_of["w1"] == res.issue_of["w2"] == res.issue_of["w3"]
    assert len({res.issue_of[x] for x in ("x1", "x2", "x3", "x4", "w1")}) == 5


def test_a_fee_word_shared_with_a_letter_about_a_named_scheme_is_no_link():
    # 伙食费 docked from 以工代赈 wages and 伙食费 charged at an old people's home elsewhere: one letter names a
    # scheme the other does not, so the shared fee word is no common matter.
    letters = _letters([
        ("s1", "云霄县和平乡", "和平乡以工代赈工地上干活，经办干部说要扣伙食费和保险费，工钱少了一千。"),
        ("s2", "漳浦县旧镇镇", "旧镇镇敬老院每月向五保老人多收伙食费，饭菜很差，伙食费去向不明。"),
        ("s3", "南靖县船场镇", "船场镇以工代赈的工钱被扣了，说是扣了伙食费，我们都是自己带饭的。"),
        *_ONE_OFFS,
    ])
    res = analyse(letters)
    assert res.issue_of["s2"] != res.issue_of["s1"]
    assert res.issue_of["s2"] != res.issue_of["s3"]
    assert res.issue_of["s1"] == res.issue_of["s3"]


def test_who_handled_the_money_is_no_topic_word():
    # The same kind of actor (村会计) at two places says nothing about the matter: a subsidy docked and a pond
    # let cheaply stay two matters even though both name the 村会计 and money.
    letters = _letters([
        ("a1", "平和县小溪镇", "小溪镇新桥那边的残疾人护理补贴被村会计扣了一部分，说是手续费。"),
        ("a2", "龙海区紫泥镇", "紫泥镇那边的集体鱼塘被村会计低价承包给亲戚，承包费多年不入账。"),
        ("a3", "长泰区岩溪镇", "岩溪镇村会计把种粮补贴扣下来交统筹，每户少了几十块。"),
        *_ONE_OFFS,
    ])
    res = analyse(letters)
    assert res.issue_of["a1"] != res.issue_of["a2"]
    assert res.issue_of["a2"] != res.issue_of["a3"]


def test_a_programme_named_only_as_the_setting_of_another_matter_is_no_link():
    # Found on a walk with a register written by hand: lorries of illegal sand mining that broke a 村道 had joined
    # the 村道 works letters of other counties through the programme's name (one "systemic" issue of 14 letters).
    letters = _letters([
        ("r1", "平和县小溪镇", "小溪镇村道硬化工程只修了一半钱却付清了。"),
        ("r2", "南靖县船场镇", "船场镇的村道硬化说是修三公里，实际只修了一公里多，验收照样通过。"),
        ("m1", "华安县沙建镇", "举报沙建镇河段非法挖沙，运砂车把村道压坏了。"),
        *_ONE_OFFS,
    ])
    res = analyse(letters)
    assert res.issue_of["r1"] == res.issue_of["r2"]  # the programme alone still links its own letters
    assert res.issue_of["m1"] not in (res.issue_of["r1"], res.issue_of["r2"])
