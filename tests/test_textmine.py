"""Tests of planner.analysis.textmine: segmentation with the domain dictionary, places, units, persons, amounts."""

import pytest

from planner.analysis.textmine import extract_amounts, extract_persons, mine, segment


def test_domain_terms_stay_whole():
    assert {"保证金", "砍伐保证金"} & set(segment("违规收取桉树砍伐保证金"))
    assert "优亲厚友" in segment("村支书优亲厚友")


def test_places_of_an_admin_chain_are_found_with_codes():
    m = mine("平和县山格镇土田村林农反映，山格林业站违规收取桉树砍伐保证金")
    names = [(p.name, p.level) for p in m.places]
    assert names[:3] == [("平和县", "county"), ("山格镇", "town"), ("土田村", "village")]
    assert m.places[0].code == "350628"
    assert m.counties() == ("350628",)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("A市A5区魅力之城小区附近的搅拌站噪音扰民", "魅力之城小区"),
        ("A2区丽发新城小区旁边的搅拌站噪音扰民", "丽发新城小区"),
        ("长泰区岩溪镇珪后村三组组长侵占征地补偿款", "珪后村"),
        ("A6区万家丽路施工噪音扰民", "万家丽路"),
        ("A9县东山村的饮用水源", "东山村"),
    ],
)
def test_named_sites_are_places(text, place):
    assert place in [p.name for p in mine(text).places]


def test_a_village_named_like_a_county_is_not_the_county():
    m = mine("A9县东山村的饮用水源被污染")
    assert "东山县" not in [p.name for p in m.places] and m.counties() == ()


@pytest.mark.parametrize("text", ["58车贷平台跑路", "通村公路坑洼不平", "12路公交车", "学生必须参加学校组织的实习"])
def test_no_place_in_verbs_roads_or_bus_lines(text):
    assert [p.level for p in mine(text).places if p.level == "site"] == []


def test_core_words_found_inside_longer_words():
    assert "保证金" in mine("违规收取桉树砍伐保证金").cores
    assert "保证金" in mine("林业站要每亩交400元押金").cores  # 押金 is a synonym


def test_words_ending_like_places_are_not_places():
    m = mine("我们村的村民反映农村低保评定不公平，本村村干部优亲厚友")
    assert [p.name for p in m.places] == []


def test_matter_tokens_exclude_places_stopwords_and_numbers():
    m = mine("平和县山格镇土田村林农反映，山格林业站违规收取桉树砍伐保证金每亩300元")
    assert "桉树" in m.tokens and "林业站" in m.tokens
    assert not {"平和县", "山格镇", "土田", "村", "300", "反映"} & set(m.tokens)
    assert "保证金" in m.key_terms or "砍伐保证金" in m.key_terms


def test_synonyms_make_rewording_alike():
    assert "噪音" in mine("噪声太大").tokens
    assert "砍伐" in mine("林农采伐桉树").tokens


def test_units_keep_their_place_prefix():
    assert mine("平和县山格林业站违规收费").units == ("平和县山格林业站",)
    assert "县林业局" in mine("县林业局不作为").units


def test_persons_with_titles_and_masked_names():
    assert extract_persons("村支书王某某优亲厚友，会计李某私分") == ("村支书王某某", "会计李某")
    assert extract_persons("某家庭农场") == ()


@pytest.mark.parametrize(
    ("text", "amounts"),
    [("每亩300元", (300.0,)), ("共2.3万元", (23000.0,)), ("三千元保证金", (3000.0,)), ("没有金额", ())],
)
def test_amounts_in_yuan(text, amounts):
    assert extract_amounts(text) == amounts


def test_empty_text():
    m = mine("")
    assert m.tokens == () and m.places == () and m.amounts_yuan == ()


@pytest.mark.parametrize(
    "text, unit",
    [
        ("漳州某某建设公司拖欠农民工工资三个月。", "建设公司"),
        ("村里的道路由建设公司承包，偷工减料。", "建设公司"),
        ("华安县某建设有限公司非法采砂。", "建设有限公司"),
    ],
)
def test_a_town_name_inside_a_company_name_is_not_the_town(text, unit):
    # 建设 is also the short name of 诏安县建设乡: in 建设公司 it names the company, not the town.
    m = mine(text)
    assert "建设乡" not in [p.name for p in m.places]
    assert unit in m.units


@pytest.mark.parametrize(
    "text", ["诏安县建设乡某村村干部收取好处费。", "建设镇上的公司乱收费。", "建设的林业站收取保证金。"]
)
def test_the_town_itself_is_still_found(text):
    m = mine(text)
    assert ("建设乡", "350624203") in [(p.name, p.code) for p in m.places]


@pytest.mark.parametrize(
    "text, core",
    [
        ("梅岭镇渔船年审强制参加收费培训，不培训不给过审。", "培训费"),
        ("林区检尺收费不合理，每方十元。", "检尺费"),
        ("小区物业服务收费太高。", "服务费"),
    ],
)
def test_a_charge_told_through_its_object_and_a_charging_word_is_the_charge(text, core):
    assert core in mine(text).cores


@pytest.mark.parametrize("text", ["村里管理混乱，还乱收费。", "镇里组织培训，走过场。", "学校收取资料费用。"])
def test_an_object_word_alone_or_apart_from_the_charging_word_is_no_charge(text):
    # 资料费 is a charge but no core word (the matter is 教辅): its object gives no core word either.
    assert not {"管理费", "培训费", "资料费"} & set(mine(text).cores)


@pytest.mark.parametrize(("text", "units"), [
    ("林农去问站里说等县里文件", ()), ("在站里交了钱才给办", ()),
    ("举报后请查林业站收钱的事", ("林业站",)), ("要求彻查林业站", ("林业站",)),
    ("山格林业站收钱", ("山格林业站",)),
])
def test_a_verb_glued_to_a_unit_is_no_part_of_it(text: str, units: tuple[str, ...]) -> None:
    """Walk D: 关联分析 listed 问站 (问站里说…) and 请查林业站 among a group's reported units."""
    assert mine(text).units == units
