"""The category as people read it (browser walks): the register's own word (三资管理, 农村集体“三资”管理) is
what 选件, 行程, 案件地图 and the field sheets show — never silently replaced by the product's 村务财务, which is
named beside it only where lists are filtered and figures grouped by it — and an inferred category says so, with
how sure."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.intake.categorize import category_as_written, category_label, infer_category
from planner.intake.register import import_register
from planner.store.database import session_scope
from planner.store.register_fields import category_labels, register_fields, set_category
from planner.vocabulary import category_name

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(("args", "grouped", "label"), [
    (("村务财务", "", "原文：三资管理", None), False, "三资管理"),
    (("村务财务", "", "原文：三资管理", None), True, "三资管理（按村务财务统计）"),
    (("村务财务", "", "", None), True, "村务财务"),  # the register wrote our word: nothing to add
    (("林业", "inferred", "按反映内容推断：含“桉树”（把握较大）", 0.85), False, "林业（按内容推断，把握较大）"),
    (("林业", "inferred", "…", 0.65), True, "林业（按内容推断，把握一般）"),
    (("林业", "inferred", "…", 0.4), False, "林业（按内容推断，把握较小，请核对）"),
    (("林业", "inferred", "…", None), False, "林业（按内容推断）"),
    (("低保", "corrected", "原文：三资管理", None), True, "低保"),  # a person's correction is what counts
    (("", "", "", None), False, "未分类"),
])
def test_labels(args, grouped, label) -> None:
    assert category_label(*args, grouped=grouped) == label


def test_the_word_written_is_read_back_only_from_the_registers_basis() -> None:
    assert category_as_written("", "原文：三资管理") == "三资管理"
    assert category_as_written("corrected", "原文：三资管理") == ""
    assert category_as_written("inferred", infer_category("村里账目不公开").reason) == ""


@pytest.mark.parametrize("word", ["三资管理", "农村集体“三资”管理", "农村集体\"三资\"管理", "三资"])
def test_the_offices_words_for_the_three_assets_are_counted_as_village_finance(word) -> None:
    assert category_name(word) == "村务财务"


def test_an_imported_register_word_is_shown_as_written(engine) -> None:
    data = ("编号,收信日期,信访人,地址,问题类别,反映内容\n"
            "SZ-1,2026-11-02,林某,平和县小溪镇,三资管理,村集体鱼塘承包款去向不明。\n"
            "SZ-2,2026-11-03,陈某,平和县小溪镇,农村集体“三资”管理,集体店面租金去向不明。\n"
            "CW-1,2026-11-03,陈某,平和县小溪镇,村务财务,村账目多年不公开。\n"
            "GX-1,2026-11-04,王某,平和县小溪镇,,林业站收取桉树砍伐保证金。\n").encode()
    import_register(engine, data, filename="三资.csv", today=TODAY)
    with session_scope(engine) as s:
        shown = category_labels(s, ["SZ-1", "SZ-2", "CW-1", "GX-1", "NONE"])
        grouped = category_labels(s, ["SZ-1", "SZ-2"], grouped=True)
        assert register_fields(s, "SZ-2").category == "村务财务"  # counted with the rest of 村务财务
    assert shown["SZ-1"] == "三资管理" and shown["SZ-2"] == "农村集体“三资”管理" and shown["CW-1"] == "村务财务"
    assert shown["GX-1"].startswith("林业（按内容推断，")
    assert "NONE" not in shown
    assert grouped == {"SZ-1": "三资管理（按村务财务统计）", "SZ-2": "农村集体“三资”管理（按村务财务统计）"}
    with session_scope(engine) as s:  # corrected by a person: the person's category, said plainly
        set_category(s, "SZ-1", "低保", who="coord", note="核对原件")
        assert category_labels(s, ["SZ-1"]) == {"SZ-1": "低保"}
        assert register_fields(s, "GX-1").category_label().startswith("林业（按内容推断")
