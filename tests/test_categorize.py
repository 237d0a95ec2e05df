"""Category inference from a letter's text: the decisive words are named, and how sure it is."""

from __future__ import annotations

import pytest

from planner.intake.categorize import CHECK_BELOW, infer_category
from planner.intake.demo import generate_letters
from planner.vocabulary import category_names


@pytest.mark.parametrize(
    ("text", "category", "word"),
    [("山格林业站违规收取桉树砍伐保证金每亩300元", "林业", "桉树"),
     ("村支书用白条入账，村财收支不公开", "村务财务", "白条"),
     ("镇里强拆村民房屋，补偿协议也没签", "征地拆迁", "强拆"),
     ("农业服务中心办事吃拿卡要，办理林木采伐证跑了三趟", "干部作风", "吃拿卡要"),
     ("养猪场污水直排农田", "环境", "污水")],
)
def test_inferred_category_names_its_words(text: str, category: str, word: str) -> None:
    guess = infer_category(text)
    assert guess.category == category
    assert word in guess.words and f"“{word}”" in guess.reason
    assert guess.category in category_names()


def test_nothing_to_go_on_gives_no_category() -> None:
    guess = infer_category("反映有关情况，请求处理。")
    assert (guess.category, guess.confidence) == ("", 0.0)
    assert "未分类" in guess.reason


def test_mixed_letters_are_less_sure_than_clear_ones() -> None:
    clear = infer_category("林业站收取桉树砍伐保证金，盗伐公益林")
    mixed = infer_category("林业站工作人员上班时间打牌")
    tied = infer_category("村里把山林发包出去")  # 林业 and 村务财务 equally
    assert clear.confidence > mixed.confidence > tied.confidence
    assert tied.confidence < CHECK_BELOW and "请核对" in tied.reason


def test_demo_register_categories_recovered_from_the_text() -> None:
    """On 600 demo letters (a different seed than the rules were written against) most categories come back, and
    the ones flagged for checking are the uncertain ones."""
    letters = generate_letters(seed=23, letters=600)
    guesses = [(infer_category(x.content), x.category) for x in letters]
    right = sum(g.category == c for g, c in guesses)
    assert right / len(guesses) >= 0.9
    sure = [(g, c) for g, c in guesses if g.confidence >= CHECK_BELOW]
    assert sum(g.category == c for g, c in sure) / len(sure) >= 0.95


@pytest.mark.parametrize(("text", "category"), [
    ("土地补偿款被村主任截留", "征地拆迁"), ("砍树要交押金，交了不退", "林业"), ("村干部晚上聚众赌博", "干部作风"),
    ("村里的运转经费用来吃喝", "干部作风"), ("村干部在村部打麻将赌钱", "干部作风"), ("向摊贩收取保护费", "干部作风"),
    ("占地补偿款被人冒领", "征地拆迁"), ("鱼塘承包款被村干部私分", "村务财务"), ("占用基本农田建厂房", "土地纠纷"),
])
def test_walk_f_letters_that_were_left_unclassified(text: str, category: str) -> None:
    """Walk F: 24 of 102 hand-written letters came out 未分类, among them these everyday wordings."""
    assert infer_category(text).category == category


@pytest.mark.parametrize(("text", "category"), [
    ("有人在村里违规建设厂房，镇里不管", "土地纠纷"), ("村里把海域养殖承包费收了不入账", "村务财务"),
    ("自然资源所办建房手续收取规划服务费两千元", "干部作风"), ("村口违章搭建铁皮房", "土地纠纷"),
])
def test_walk_a_letters_that_were_left_unclassified(text: str, category: str) -> None:
    """Walk A: letters about a factory built without permission, a sea-farming contract fee and a 规划服务费 came out
    未分类 (反映内容没有可判断类别的词)."""
    assert infer_category(text).category == category


@pytest.mark.parametrize(("text", "category"), [
    ("村里的集体鱼塘承包给村主任亲戚，价格很低", "村务财务"), ("镇城管执法队对沿街摊贩暴力执法", "干部作风"),
    ("殡仪馆收取殡葬管理费八百元，没有收据", "干部作风"), ("城管选择性执法，有关系的店不管", "干部作风"),
])
def test_walk_c_letters_that_were_left_unclassified(text: str, category: str) -> None:
    """Walk C: a fish pond's contract, 城管 enforcement and a 殡葬管理费 came out 未分类."""
    assert infer_category(text).category == category


def test_a_deposit_alone_names_no_category() -> None:
    """押金 alone (a landlord's, a driving school's or a station's) says nothing of the matter: it stays 未分类, and the
    clerk is asked, rather than a guess."""
    assert infer_category("交了押金一直不退").category == ""


@pytest.mark.parametrize(("text", "category"), [
    ("村支书利用职权将集体土地违规出租给亲戚，租金不入账", "村务财务"),
    ("某局干部工作日中午饮酒", "干部作风"),
    ("派出所民警办案不公收受好处", "干部作风"),
    ("绥安镇执法队随意罚款不开票", "干部作风"),  # walk G
    ("陈巷镇干部借考察名义公款旅游", "干部作风"),  # walk G
])
def test_letters_a_walk_left_unclassified(text: str, category: str) -> None:
    """Hand-written letters of stop 33 that were 未分类 (租金不入账, 饮酒) or decided by one word only."""
    guess = infer_category("", text)
    assert guess.category == category and guess.confidence >= CHECK_BELOW, guess
