"""A programme's money gone astray, told at several places, when neither the shipped nor the office's list names it
(issue 18, runs 70-71).

Run 70: letters saying a programme's money went astray are candidates for each other however few words they share
(种粮补贴 / 耕地地力保护补贴), as one village's letters are. Run 71: the programme is read from the letter itself,
the words just before its money (沼气池 补助, 林下经济 扶持资金), and petitioners' own words for money claimed
falsely or diverted (报成, 多报, 钱进了他的账户, 到手只有) count as gone astray. Favouritism, a cadre's own
allowances and two different programmes stay apart."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.evidence import _ASTRAY_RE, astray_keys, named_schemes

DAY = dt.date(2026, 10, 5)
# Other matters in the same towns (a register is never only the letters in question).
FILL = [
    ("龙海区紫泥镇锦田村", "锦田村的垃圾站建在水源边上，臭气熏天，夏天苍蝇成群。"),
    ("南靖县书洋镇田中村", "田中村村委会把村里的山林卖给老板，价钱很低，村民不知情。"),
    ("平和县九峰镇黄田村", "黄田村低保评审不公开，有车有房的人家也吃低保。"),
    ("东山县铜陵镇大澳村", "大澳村渔船燃油补贴被村干部冒领，渔民没拿到钱。"),
    ("诏安县四都镇", "四都镇中学食堂饭菜质量差，价格又高，学生吃不饱。"),
]


XIAZHUANG = "下庄村前几年说建沼气池每户补助一千五，村里报了三十多户，实际建起来的不到十户，剩下的补助钱去哪了？"
PUNAN = "以前的沼气补助，村会计把我们几户的名字报上去领了，我们自己一点都不知道，去年去查档案才发现。"


def _issues(rows: list[tuple[str, str]]) -> list[str]:
    letters = [Letter(f"L{k}", t, DAY + dt.timedelta(days=3 * k), address=a) for k, (a, t) in enumerate(rows + FILL)]
    res = analyse(letters)
    return [res.issue_of[f"L{k}"] for k in range(len(rows))]


def test_the_programme_is_read_from_the_words_before_its_money():
    assert "沼气池" in named_schemes("家里建了沼气池，村里报的沼气池补助每户一千五，到手只有八百。")
    assert "林下经济" in named_schemes("林下经济扶持资金被几个村干部分了。")  # one term since run 78
    assert "孤儿" in named_schemes("村妇联主席一直用这孩子的名义在领孤儿补助。")
    # Amounts, people and a cadre's own allowance name no programme.
    assert not named_schemes("每亩补贴三百，到手一百八。")
    assert not named_schemes("村干部每个月给自己发误工补贴。")


def test_money_claimed_falsely_or_diverted_in_a_petitioner_s_words():
    for text in ("村支书把自家荒山报成了茶园，领了好几万茶园补助。", "补助款钱进了他自己的账户。",
                 "说好每户两千，结果到手只有一千二。", "剩下那二十几户的补助钱去哪了？",
                 "村医的补助，卫生院每年扣三成，说是管理费。", "奖补资金被村会计以代管名义扣在村里。",
                 "奖补到现在没到账，去乡里问说早就发了。"):
        assert _ASTRAY_RE.search(text), text
    assert not _ASTRAY_RE.search("今年的茶园补助什么时候申报，请告知。")


def test_astray_letters_share_a_candidate_key_whatever_their_words():
    a = astray_keys((), "下庄村说建沼气池每户补助一千五，实际建起来的不到十户，剩下的补助钱去哪了？")
    b = astray_keys((), "以前的沼气补助，村会计把我们几户的名字报上去领了，我们自己一点都不知道。")
    assert a and b
    assert any(k.startswith("s:") for k in a)
    # A letter asking who was chosen (favouritism) is no candidate of the programme rule.
    assert not astray_keys((), "沼气池补助名额都给了村干部的亲戚，困难户评不上。")


def test_one_unlisted_programme_astray_in_three_counties_is_one_matter():
    got = _issues([
        ("龙海区程溪镇下庄村", XIAZHUANG),
        ("芗城区浦南镇", PUNAN),
        ("平和县安厚镇大坑村", "大坑村搞沼气池建设，有好几户池子根本没挖，沼气池补贴照样被人领走了。"),
    ])
    assert len(set(got)) == 1


def test_two_unlisted_programmes_stay_two_matters():
    got = _issues([
        ("龙海区程溪镇下庄村", XIAZHUANG),
        ("平和县崎岭乡南湖村", "南湖村支书把自己家的荒山也报成了茶园，领了好几万茶园补助，那片山全是芒草。"),
    ])
    assert got[0] != got[1]


def test_cadres_own_allowances_and_favouritism_stay_each_village_s_matter():
    own = _issues([
        ("平和县秀峰乡坝头村", "坝头村干部每个月给自己发误工补贴，一个人好几百，钱去哪了没人知道。"),
        ("漳浦县赤土乡浯源村", "浯源村干部给自己发误工补贴，连报账员也有份，一年好几万，钱去哪了没人知道。"),
    ])
    assert own[0] != own[1]
    chosen = _issues([
        ("平和县秀峰乡和春村", "和春村的沼气池补助名额都给了村干部亲戚，真正建了池子的农户评不上。"),
        ("南靖县金山镇溪墘村", "溪墘村沼气池补助名额被村主任优亲厚友，给了关系户，我们建了池子却没有。"),
    ])
    assert chosen[0] != chosen[1]


def test_two_programmes_in_one_town_are_not_one_matter_through_the_word_subsidy():
    got = _issues([
        ("芗城区浦南镇溪园村", "溪园村水毁补助名单上有村会计的老婆和他弟弟，他们家的田根本没淹到，钱照样领了。"),
        ("芗城区浦南镇", PUNAN),
    ])
    assert got[0] != got[1]
