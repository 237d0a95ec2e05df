"""Run 84 (walk W14): a deposit told again at other towns with only the place changed is one practice, and so is a
deposit on one object collected by another kind of unit; other charges told alike at several towns, and a form letter
naming each village's cadre, stay each place's own matter."""

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.alike import one_charge

_D = dt.date(2026, 10, 1)


def _letter(n, place, text):
    return Letter(f"R84-{n:02d}", text, _D + dt.timedelta(days=n), address=place, petitioner_key=f"r84-{n}")


# Thirty other letters, so that the deposit's words are common in the register (as in W14's, 24 of 250 letters).
_OTHERS = [
    _letter(40 + k, place, text) for k, (place, text) in enumerate([
        ("平和县小溪镇", "小溪镇林业站收取桉树砍伐保证金，每亩三百元，补种以后也不退，收据是白条。"),
        ("南靖县金山镇", "金山镇林业站办理桉树采伐证要先交砍伐保证金，说补种后退，两年了没退。"),
        ("漳浦县石榴镇", "石榴镇林业站收了我们桉树砍伐保证金，一直拖着不退还，要求清退。"),
        ("云霄县马铺乡", "马铺乡林业站砍桉树前要交保证金，每亩四百，补种验收后也不退。"),
        ("长泰区枋洋镇", "枋洋镇林业站以迹地更新为名收取桉树砍伐保证金，至今未退。"),
        ("华安县新圩镇", "新圩镇林业站收桉树砍伐保证金不开正规票据，退款遥遥无期。"),
    ] + [(f"诏安县{town}", f"{town}卫生院看病收费不开票据，药价比外面贵一倍，群众意见大。")
         for town in ("太平镇", "官陂镇", "霞葛镇")]
      + [(f"龙海区{town}", f"{town}有砂场晚上偷采河砂，运砂车压坏村道，噪音很大。")
         for town in ("九湖镇", "程溪镇", "东泗乡")])
]

_ALIKE_TEXT = "{}在发放林木采伐许可证时附加收取“采伐保证金”，没有任何文件依据，村民多次反映，至今未退。"
_ALIKE = [  # one deposit told again at two other towns (other counties), 多次反映 as in W14: one practice
    _letter(1, "平和县九峰镇", _ALIKE_TEXT.format("九峰镇")),
    _letter(2, "漳浦县赤湖镇", _ALIKE_TEXT.format("赤湖镇")),
    _letter(3, "南靖县书洋镇", _ALIKE_TEXT.format("书洋镇")),
]
_FEE = [  # another charge told alike at three towns: a template with other slots, each town's own (the demo's truth)
    _letter(11, "龙海区角美镇", "角美镇社会事务服务中心办理低保时每户收取手续费三百元。"),
    _letter(12, "长泰区岩溪镇", "岩溪镇社会事务服务中心办理低保时每户收取手续费三百元。"),
    _letter(13, "芗城区石亭街道", "石亭街道社会事务服务中心办理低保时每户收取手续费三百元。"),
]
_CADRES = [  # a form letter naming each village's cadre: each village's matter
    _letter(21, "东山县铜陵镇大澳村", "大澳村低保评定不公开，村会计林文华说了算，送礼的才评得上。"),
    _letter(22, "华安县马坑乡和春村", "和春村低保评定不公开，村会计陈木林说了算，送礼的才评得上。"),
]
_COLLECTOR = _letter(31, "长泰区岩溪镇珪后村",
                     "我家桉树采伐时被收了迹地更新保证金四千多元，没有正规票据，镇农业服务中心说要统一退，到现在也没消息。")


def test_a_deposit_told_again_with_only_the_town_changed_is_one_practice_across_counties():
    res = analyse([*_OTHERS, *_ALIKE, *_FEE, *_CADRES, _COLLECTOR])
    assert len({res.issue_of[lt.letter_id] for lt in _ALIKE}) == 1
    issue = res.cluster(res.issue_of["R84-01"])
    assert len(issue.county_codes) >= 3
    # each town keeps its own hotspot
    assert len({res.hotspot_of[lt.letter_id] for lt in _ALIKE}) == 3


def test_other_charges_told_alike_and_cadres_form_letters_stay_each_places_own():
    res = analyse([*_OTHERS, *_ALIKE, *_FEE, *_CADRES, _COLLECTOR])
    assert len({res.issue_of[lt.letter_id] for lt in _FEE}) == 3
    assert len({res.issue_of[lt.letter_id] for lt in _CADRES}) == 2
    assert not {res.issue_of[lt.letter_id] for lt in _FEE} & {res.issue_of[lt.letter_id] for lt in _ALIKE}


def test_the_deposit_collected_by_another_kind_of_unit_joins_the_forestry_stations_letters():
    res = analyse([*_OTHERS, *_ALIKE, *_FEE, *_CADRES, _COLLECTOR])
    assert res.issue_of["R84-31"] == res.issue_of["R84-40"] == res.issue_of["R84-41"]
    assert one_charge(("桉树", "保证金"), ("桉树", "保证金", "白条"))
    assert not one_charge(("保证金",), ("桉树", "保证金"))  # one object named on one side only: not told as one
    assert not one_charge(("桉树", "保证金"), ("建房", "保证金"))  # one charge on two objects


def test_a_lexicon_word_in_letters_that_say_they_write_again_is_still_the_matters_word():
    # 砍伐证 (林木采伐许可证) is written in four letters, three of them saying 村民多次反映: it was taken for a word
    # about the handling (走过场) and left out: 采伐保证金 told by towns and 桉树采伐证 of a 林业站 stayed apart.
    res = analyse([*_OTHERS, *_ALIKE, *_FEE, *_CADRES, _COLLECTOR])
    assert res.issue_of["R84-01"] == res.issue_of["R84-41"] == res.issue_of["R84-31"]


def test_the_command_line_analysis_keeps_letters_about_other_cities_apart():
    # python -m planner cluster: W14's 厦门市同安区 and 泉州市安溪县 deposit letters joined the city's issue
    # (the app marks them 市外 from the import's note; the command line read only the codes).
    from planner.commands.cluster import geocode_letters

    far = _letter(61, "福建省厦门市同安区莲花镇军营村", _ALIKE_TEXT.format("莲花镇"))
    near = _letter(62, "平和县九峰镇", _ALIKE_TEXT.format("九峰镇"))
    got = geocode_letters([far, near])
    assert got[0].outside and not got[1].outside and got[1].county_code
    res = analyse([*_OTHERS, *_ALIKE, *got])
    assert res.issue_of["R84-61"] != res.issue_of["R84-01"]
    assert res.issue_of["R84-62"] == res.issue_of["R84-01"]


def test_told_alike_with_other_rates_is_two_charges_at_one_town_and_one_practice_across_towns():
    # tests/app/test_clusters_doubts_shown.py's letters: 每亩800元 / 每亩500元 at 仙都镇 stay two charges
    one_town = [_letter(71, "华安县仙都镇", "华安县仙都镇林业站收取桉树砍伐保证金，每亩800元，收了我家4800元。"),
                _letter(72, "华安县仙都镇", "仙都镇林业站收取桉树砍伐保证金，每亩500元，砍伐后一直不退。")]
    text = "{}林业站收取桉树砍伐保证金，每亩{}元，砍伐后一直不退，村民多次反映。"
    towns = [_letter(73, "平和县九峰镇", text.format("九峰镇", 300)),
             _letter(74, "漳浦县赤湖镇", text.format("赤湖镇", 400))]
    res = analyse(one_town)  # alone: with letters of other towns both join the practice across the county
    assert res.issue_of["R84-71"] != res.issue_of["R84-72"]
    res = analyse([*_OTHERS, *towns])
    assert res.issue_of["R84-73"] == res.issue_of["R84-74"]
