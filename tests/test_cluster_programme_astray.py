"""A public programme's money going astray at several villages is one matter (run 66, issue 18).

The rule the sets now share: 高龄补贴 drawn for the dead, 青苗补偿款 docked, 耕地地力保护补贴 kept by village cadres at
villages of several counties is one matter for the office (one 专项整治), each village its own hotspot, even in a
clerk's formula with other villages and other cadres. Favouritism in choosing who gets a benefit (低保 given to
relatives) and a cadre's own conduct stay each village's matter; another matter at one of those villages stays
apart."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.evidence import _astray_programmes
from planner.analysis.textmine import mine

AGED = [
    ("A1", "平和县山格镇隆庆村", "隆庆村会计冒领已故老人的高龄补贴，老人去世两年了还在领，村民都知道。"),
    ("A2", "东山县樟塘镇古港村", "我父亲去世三年了，村里还在替他领高龄津贴，钱不知道进了谁的口袋，请查一查。"),
    ("A3", "华安县高车乡洋坑村", "洋坑村报账员把几位去世老人的高龄补贴继续领走，家属一分钱没见到。"),
]
FORMULA = [
    ("F1", "漳浦县旧镇镇梅宅村", "反映梅宅村村主任张某截留青苗补偿款问题。"),
    ("F2", "南靖县书洋镇枫林村", "反映枫林村村会计李某截留青苗补偿款问题。"),
    ("F3", "长泰区岩溪镇珪后村", "反映珪后村村支书王某截留青苗补偿款问题。"),
]
FAVOUR = [
    ("D1", "云霄县火田镇菜埔村", "菜埔村低保评定优亲厚友，村支书的亲属有三户吃低保，其中一户家里有小车。"),
    ("D2", "诏安县四都镇田美村", "田美村村干部亲戚占用低保名额，民主评议会根本没开，名单是几个干部私下定的。"),
    ("D3", "龙海区九湖镇岭兜村", "岭兜村低保户评审不公开，村监委主任的哥哥开着货车跑运输，也评上了低保。"),
]
OTHER = [("O1", "平和县山格镇隆庆村", "隆庆村边上的石材厂晚上开工，粉尘和噪音很大，庄稼都是灰。")]


def _analyse(*groups) -> object:
    rows = [r for g in groups for r in g]
    return analyse([Letter(i, t, dt.date(2026, 5, 4) + dt.timedelta(days=5 * k), address=a)
                    for k, (i, a, t) in enumerate(rows)])


def test_a_programmes_money_drawn_for_the_dead_at_three_counties_is_one_systemic_matter():
    res = _analyse(AGED, OTHER, FAVOUR)
    ids = [i for i, _a, _t in AGED]
    assert len({res.issue_of[i] for i in ids}) == 1
    assert len({res.hotspot_of[i] for i in ids}) == 3, "each village stays its own hotspot"
    cluster = res.cluster(res.issue_of["A1"])
    assert cluster.systemic and len(cluster.county_codes) == 3
    assert res.issue_of["O1"] != res.issue_of["A1"], "another matter at the same village stays apart"


def test_a_clerks_formula_of_money_kept_is_one_matter_whichever_cadre_is_named():
    res = _analyse(FORMULA, OTHER)
    assert len({res.issue_of[i] for i, _a, _t in FORMULA}) == 1
    assert len({res.hotspot_of[i] for i, _a, _t in FORMULA}) == 3


def test_favouritism_in_choosing_recipients_stays_each_villages_matter():
    res = _analyse(FAVOUR, AGED)
    assert len({res.issue_of[i] for i, _a, _t in FAVOUR}) == 3
    assert not {res.issue_of[i] for i, _a, _t in FAVOUR} & {res.issue_of[i] for i, _a, _t in AGED}


def test_the_rule_needs_money_astray_in_both_letters_and_one_programme_named_in_both():
    def astray(ta: str, tb: str) -> tuple[str, ...]:
        return _astray_programmes(mine(ta).cores, mine(tb).cores, ta, tb)

    assert astray(AGED[0][2], AGED[2][2]) == ("高龄补贴",)
    assert astray(FAVOUR[0][2], FAVOUR[1][2]) == ()  # favouritism, not money astray
    # 补偿款 alone is no programme: 公益林 compensation and land compensation are two matters.
    assert astray("坂里乡公益林补偿款被截留挪用。", "大霞村征地补偿款被村支书截留，每亩少发两千元。") == ()
    # One programme's family counts (耕地地力保护补贴 took over 种粮补贴).
    assert astray("耕地地力保护补贴村里按每亩少发30元。", "种粮补贴被村干部克扣。") != ()
    # The programme named, its money not said to go astray: a complaint about its works, not one matter.
    assert astray("隆庆村高龄补贴发放时间太晚，老人等得着急。", AGED[1][2]) == ()


def test_a_villagers_words_for_the_allowance_and_the_dead_still_paid_count():
    # Walk W5: 老人津贴 / 高龄老人补助 are the 高龄补贴; "去世…还在发" / "名下每月还打钱" is money drawn for the dead.
    letters = [
        ("W1", "华安县丰山镇新林村",
         "新林村的老人津贴有问题，我阿公去年就走了，今年还有人在领他的补贴，存折在村会计手上。"),
        ("W2", "漳浦县杜浔镇丹州村",
         "丹州村死了的老人名下每月还打钱（高龄老人补助），村里不去销户，钱进了谁口袋要查。"),
        ("W3", "南靖县山城镇上洞村",
         "上洞村有几个老人前年就过世了，可是高龄补贴到现在还在发，村里管民政的人说不清楚。"),
        ("Q1", "长泰区陈巷镇后塘村", "后塘村有人无证开石场，天天放炮，房子都震裂了。"),
        ("Q2", "长泰区陈巷镇后塘村", "后塘村采石场晚上偷偷开采，拉石头的大车把村道压坏，村干部有入股。"),
    ]
    res = analyse([Letter(i, t, dt.date(2026, 9, 1) + dt.timedelta(days=4 * k), address=a)
                   for k, (i, a, t) in enumerate(letters)])
    assert len({res.issue_of[i] for i in ("W1", "W2", "W3")}) == 1
    assert res.issue_of["Q1"] == res.issue_of["Q2"], "one quarry at one village, whatever it did"
    assert res.issue_of["Q1"] != res.issue_of["W1"]
