"""Walk W25: a county register whose 问题类别 uses the office's own words for some rows and is blank for others.
财务, 土地 … were kept as written while the blank rows got the product's inferred category, so 统计 counted 财务 25
beside 村务财务 17 (村财账目不公开 was 财务 typed and 村务财务 inferred), and 行程 read 工程 where 统计 said 工程建设.
A register word is now read into the one category it is a short form of, or into the category the letter's text
agrees with when several share it; a word that cannot be read (民生) is kept as written, and 统计 says which."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from planner.field.day import day_view
from planner.field.model import build_itinerary, enrich_cases
from planner.followup.stats import compute_stats
from planner.intake.category_words import read_category
from planner.intake.register import import_register
from planner.store.database import session_scope
from planner.store.models import CaseRow
from planner.store.register_fields import category_labels, register_fields
from tests.office import _seed

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(("word", "text", "category", "reason"), [
    ("财务", "虚报冒领种粮补贴", "村务财务", "原文：财务"),  # only 村务财务 claims it: the clerk's word decides
    ("土地", "海域养殖承包不公开", "土地纠纷", "原文：土地"),
    ("土地问题", "", "土地纠纷", "原文：土地问题"),
    ("工程", "", "工程建设", "原文：工程"),  # an alias, as before
    ("村务财务", "", "村务财务", ""),  # the product's own word
    ("民生", "违规发放低保", "民生", ""),  # no category claims it: kept, never forced
    ("问题", "乱砍滥伐公益林", "问题", ""),
    # shared by 扶贫资金 and 惠农资金: the letter's text decides
    ("资金", "扶贫资金被挪用", "扶贫资金", "原文：资金（按反映内容含“扶贫”，读作扶贫资金）"),
    ("资金", "村账目不公开", "资金", ""),  # the text names neither of the categories sharing it: kept
    ("村级财务", "村财账目不公开", "村务财务", "原文：村级财务（按反映内容含“村财”“账目”“公开”，读作村务财务）"),
    ("", "村财账目不公开", "", ""),  # blank: inferred by the import, not read here
])
def test_a_registers_word_is_read_only_when_well_founded(word, text, category, reason) -> None:
    got = read_category(word, text)
    assert (got.category, got.reason) == (category, reason)


REGISTER = ("编号,收信日期,信访人,地址,问题类别,反映内容\n"
            "W-1,2026-11-02,林某,平和县小溪镇,财务,村财账目不公开。\n"
            "W-2,2026-11-02,陈某,平和县小溪镇,,村财账目不公开。\n"
            "W-3,2026-11-03,王某,平和县小溪镇,财务,集体土地出租收入去向不明。\n"
            "W-4,2026-11-03,吴某,平和县小溪镇,工程,工程项目围标串标，质量不合格。\n"
            "W-5,2026-11-04,黄某,平和县小溪镇,,工程项目偷工减料。\n"
            "W-6,2026-11-04,张某,平和县小溪镇,民生,违规发放低保。\n"
            "W-7,2026-11-05,李某,平和县小溪镇,,违规发放低保。\n")


def test_statistics_count_one_kind_of_issue_under_one_name(engine) -> None:
    import_register(engine, REGISTER.encode(), filename="平和县信访件登记表.csv", today=TODAY)
    with session_scope(engine) as s:
        assert register_fields(s, "W-1").category == register_fields(s, "W-2").category == "村务财务"
        assert register_fields(s, "W-1").category_reason == "原文：财务"  # the register's word is the basis
        assert register_fields(s, "W-6").category == "民生"  # kept as the office wrote it
        labels = category_labels(s, ["W-1", "W-4", "W-6"], grouped=True)
        stats = compute_stats(s, start=dt.date(2026, 11, 1), end=TODAY, today=TODAY)
    assert labels == {"W-1": "财务（按村务财务统计）", "W-4": "工程（按工程建设统计）", "W-6": "民生"}
    received = dict(stats.extras.received)
    assert received == {"村务财务": 3, "工程建设": 2, "民生": 1, "低保": 1}
    assert "财务" not in received and "工程" not in received
    note = stats.extras.category_note()
    assert "3 件的类别由登记表自己的词读出" in note
    assert "“财务”→村务财务 2 件" in note and "“工程”→工程建设 1 件" in note
    assert "3 件登记表没写类别，按反映内容推断" in note
    assert "“民生”（1 件）" in note and "按原词列出" in note


def test_a_plain_land_word_read_as_land_disputes_still_needs_the_land_skill() -> None:
    """An office's 土地 needed the 土地 专长 (an earlier walk); read as 土地纠纷 it must need it still."""
    from planner.selection.ranking import skills_for_category

    assert skills_for_category(read_category("土地", "违规占用耕地建房").category) == ("land",)


def test_the_days_card_names_the_category_as_statistics_do(engine) -> None:
    """行程 and the field sheets read 工程（按工程建设统计）: the register's word and the category 统计 counts."""
    _seed.seed(engine)
    no = "ZZ2026-0101"  # T1's first stop on the test day
    with session_scope(engine) as s:
        s.execute(update(CaseRow).where(CaseRow.case_no == no).values(
            category="工程建设", category_source="", category_reason="原文：工程"))
    with session_scope(engine) as s:
        doc = enrich_cases(_seed.plan_doc(), s)
    cards = {c.case_no: c for stop in day_view(build_itinerary(doc, "T1", _seed.DAY)).stops for c in stop.cases}
    assert cards[no].category == "工程（按工程建设统计）"
