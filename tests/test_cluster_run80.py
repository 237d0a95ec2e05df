"""Run 80: a company's role is no company name (中标公司), a writer's 再次反映 joins the matter it repeats among the
writer's letters at one village, officials holding villagers' cards are one practice, and sums told without their
unit are money taken."""

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.companies import _company_name
from planner.analysis.meaning import _kinds
from planner.analysis.practices import practice_cores


def _on(day):
    return dt.date(2026, 3, 1) + dt.timedelta(days=day)


def test_what_a_company_does_is_no_name():
    assert _company_name("中标公司") == ""
    assert _company_name("检测公司") == ""
    assert _company_name("这家公司") == ""
    assert _company_name("他儿子的公司") == ""
    assert _company_name("金鑫砂石有限公司") == "金鑫砂石"
    assert _company_name("圣元建设工程有限公司") == "圣元"


def test_each_towns_tender_with_its_winning_company_is_its_own_matter():
    # Walk W12: 34 towns' cleaning tenders were one "same company" issue through 中标公司.
    places = {
        "山格镇": ("平和县山格镇淮溪村", "平和县山格镇隆庆村"), "佛昙镇": ("漳浦县佛昙镇岸头村", "漳浦县佛昙镇轧内村"),
        "浦南镇": ("芗城区浦南镇松洲村", "芗城区浦南镇浦南村"), "岩溪镇": ("长泰区岩溪镇珪后村", "长泰区岩溪镇甘寨村"),
    }
    letters = [
        Letter(f"{town}{k}", f"{town}环卫保洁项目招投标疑似串标，中标公司与镇分管领导有关联", _on(k), address=address)
        for town, addresses in places.items() for k, address in enumerate(addresses)
    ]
    res = analyse(letters)
    towns_of: dict[str, set[str]] = {}
    for lt in letters:
        towns_of.setdefault(res.issue_of[lt.letter_id], set()).add(lt.letter_id[:3])
    assert all(len(towns) == 1 for towns in towns_of.values()), towns_of


def _writer(c_text):
    return [
        Letter("A", "我村村会计冒领已去世老人的养老金，我父亲去世两年了养老金还在发，钱被会计领走。", _on(0),
               address="平和县坂仔镇心田村", petitioner_key="w1"),
        Letter("B", "心田村的鱼塘发包没有公开招标，村主任私下以很低的价格包给了他的亲戚，村民都不知道。", _on(30),
               address="平和县坂仔镇心田村", petitioner_key="w1"),
        Letter("C", c_text, _on(60), address="平和县坂仔镇心田村", petitioner_key="w1"),
    ]


def test_a_repeat_of_the_writers_first_matter_leaves_the_second_alone():
    res = analyse(_writer("再次反映：心田村会计冒领去世老人养老金的事到现在没人处理，他还在领。"))
    assert res.issue_of["A"] == res.issue_of["C"] != res.issue_of["B"]
    assert res.repeat_of.get("C") == "A" and "B" not in res.repeat_of


def test_a_repeat_of_the_writers_second_matter_joins_that_one():
    res = analyse(_writer("再次反映：心田村鱼塘低价发包给村主任亲戚的事，到现在没有人来查。"))
    assert res.issue_of["B"] == res.issue_of["C"] != res.issue_of["A"]
    assert res.repeat_of.get("C") == "B"


def test_a_reworded_repeat_of_a_writers_only_matter_still_joins_it():
    letters = _writer("再次反映：心田村会计冒领去世老人养老金的事到现在没人处理，他还在领。")
    letters = [letters[0], Letter("C", "继续反映：我家的事拖了半年，会计还是照样领，村里没人管。", _on(60),
                                  address="平和县坂仔镇心田村", petitioner_key="w1")]
    res = analyse(letters)
    assert res.issue_of["A"] == res.issue_of["C"]


def test_villagers_cards_held_by_an_official_is_one_practice_at_one_village():
    letters = [
        Letter("a", "五岳村会计把村里十几个老人的社保卡收在他那里，说是方便帮他们取钱，每个月取多少老人自己都不知道。",
               _on(0), address="华安县新圩镇五岳村"),
        Letter("b", "我奶奶的一卡通被村会计拿着，里面的补贴和养老金都是他去取，交给奶奶的时候总是少几百。", _on(10),
               address="华安县新圩镇五岳村"),
        Letter("c", "五岳村干部收着孤寡老人的存折不还。", _on(20), address="华安县新圩镇五岳村"),
        # Another village's official holding cards is that village's matter.
        Letter("d", "山坪村主任把低保户的存折都扣着，说是统一保管。", _on(25), address="华安县新圩镇山坪村"),
    ]
    res = analyse(letters)
    assert res.issue_of["a"] == res.issue_of["b"] == res.issue_of["c"] != res.issue_of["d"]
    assert practice_cores("我去银行办了社保卡，还没拿到。") == ()
    assert practice_cores("镇里的工作人员把我们的存折统一保管起来了。") == ("代管卡折",)


def test_a_sum_told_without_its_unit_is_money_taken():
    assert "in" in _kinds("白水镇的自建房安全鉴定，村里让我们每户交四百给一个第三方。")
    assert "in" in _kinds("护林员过来说违反森林防火，罚了两百，没开票。")
    assert "in" in _kinds("城建站的人上门说要做安全鉴定，开口要1500。")
    assert "in" not in _kinds("我交了两个月的材料，还没有批。")
    assert "in" not in _kinds("他们收了四百亩地种果树。")


def test_one_named_river_dredged_at_two_villages_of_a_town_is_one_matter():
    # Walk W12: 北溪 sand dredging told at 大地村 and 上苑村 of 仙都镇.
    letters = [
        Letter("a", "九龙江北溪上游华安仙都一带河道被非法采砂，挖沙船晚上作业，水利站视而不见", _on(0),
               address="华安县仙都镇大地村"),
        Letter("b", "北溪仙都段非法采砂，怀疑有干部入股砂场", _on(9), address="华安县仙都镇上苑村"),
        # Sand dug at a village of another town, naming no river: that place's own.
        Letter("c", "村里的小溪边有人偷挖河沙，河堤都塌了，报了没人管", _on(15), address="长泰区岩溪镇珪后村"),
        # The same two villages, other matters.
        Letter("d", "大地村的低保评定不公开，村干部的亲戚都评上了。", _on(20), address="华安县仙都镇大地村"),
        Letter("e", "上苑村修村道的钱去向不明，路修了一半就停了。", _on(25), address="华安县仙都镇上苑村"),
    ]
    res = analyse(letters)
    assert res.issue_of["a"] == res.issue_of["b"]
    assert len({res.issue_of[k] for k in "acde"}) == 4
    assert "北溪" in res.explain("a", "b").shared_terms
