"""Walk W18: letters about areas counted too large in a 征迁 and about occupied collective hill land came out
未分类 (反映内容没有可判断类别的词). The words a county register uses for them are read now, in their everyday
variants, with the words that decided it named and an honest certainty."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.intake.categorize import CHECK_BELOW, infer_category
from planner.intake.register import import_register
from planner.store.database import session_scope
from planner.store.register_fields import category_labels

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(("text", "category", "word"), [
    ("反映村会计在征迁中为亲属多算面积。此前已向镇里反映", "征地拆迁", "征迁"),
    ("镇征拆办工作人员为亲戚虚增补偿面积", "征地拆迁", "补偿面积"),
    ("房屋征收时村干部给自家多报了安置面积", "征地拆迁", "征收"),
    ("反映镇城建办工作人员侵占村集体山地种植柚子、香蕉。希望纪委监委下来核实。", "土地纠纷", "侵占村集体山地"),
    ("村主任霸占组里的耕地建养殖场", "土地纠纷", "霸占组里的耕地"),
    ("村支书非法占用村民小组土地建厂房出租", "土地纠纷", "非法占用村民小组土地"),
    ("镇干部强占集体荒山种植果树", "土地纠纷", "强占集体荒山"),
])
def test_register_words_for_these_kinds_give_a_category(text: str, category: str, word: str) -> None:
    guess = infer_category(text)
    assert guess.category == category
    assert word in guess.words and f"“{word}”" in guess.reason
    assert guess.confidence >= CHECK_BELOW


def test_an_area_counted_too_large_alone_is_not_enough() -> None:
    """多算面积 may be a subsidy's area as well as a compensation's: it only adds weight to a category."""
    assert infer_category("为亲属多算面积").category == ""
    assert infer_category("村主任给亲戚多算种粮补贴面积").category == "惠农补贴"


def test_occupied_forest_land_is_said_to_be_unsure() -> None:
    """侵占集体林地 is as much 林业 as 土地纠纷: whichever is chosen, the clerk is asked to check."""
    guess = infer_category("村干部侵占集体林地")
    assert guess.category in ("林业", "土地纠纷")
    assert guess.confidence < CHECK_BELOW and "请核对" in guess.reason


def test_collective_assets_stay_village_finance() -> None:
    assert infer_category("村干部侵占集体资产").category == "村务财务"


def test_imported_letters_without_a_category_are_inferred(engine) -> None:
    data = ("编号,收信日期,信访人,地址,问题类别,反映内容\n"
            "ZQ-1,2026-11-11,沈某,南靖县书洋镇塔下村,,反映村会计在征迁中为亲属多算面积。\n"
            "SD-1,2026-10-08,林某,南靖县和溪镇乐土村,,反映镇城建办工作人员侵占村集体山地种植柚子、香蕉。\n"
            ).encode()
    import_register(engine, data, filename="登记.csv", today=TODAY)
    with session_scope(engine) as s:
        shown = category_labels(s, ["ZQ-1", "SD-1"])
    assert shown["ZQ-1"].startswith("征地拆迁（按内容推断，")
    assert shown["SD-1"].startswith("土地纠纷（按内容推断，")
