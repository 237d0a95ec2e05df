"""A writer who names themself and then says what they report (反映人林海生称…, 信访人陈国强说…) was not masked: the
name-finding pattern expected a break, 电话, 反映 … after the name, not the verbs of saying. The verbs now count,
while the same verbs after no name (村民称, 群众反映, 有人说, 反映人称) and ordinary words after a cue (曾多次,
郑重, 马上) are left alone."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import PetitionCase
from planner.office.privacy import NAME_IN_TEXT_WITHHELD, analysis_text, field_text, mask_free_text, self_named
from planner.store.cases import case_details


@pytest.mark.parametrize(("text", "name", "verb"), [
    ("反映人林海生称，前进村2025年低保评定未张榜公示，村主任亲属三户均被评上。", "林海生", "称"),
    ("信访人陈国强说村主任私分征地补偿款约12万元，村民多次询问无果。", "陈国强", "说"),
    ("反映人赖春生反映山格镇林业站收取砍伐保证金3000元至今不退。", "赖春生", "反映"),
    ("举报人王伟表示镇村两级未公示危房改造补助名单。", "王伟", "表示"),
    ("来信人黄丽丽诉称其家宅基地被邻居强占，村委会调解未果。", "黄丽丽", "诉称"),
    ("实名举报人郑家豪来信称林业站工作人员收受好处费。", "郑家豪", "来信称"),
    ("反映人林海举报称村道硬化工程偷工减料，路面已开裂。", "林海", "举报称"),
    ("信访人李明又说补偿款至今未到位。", "李明", "又说"),
    ("本人欧阳明华讲，村里账目三年未公开。", "欧阳明华", "讲"),
])
def test_a_writer_named_before_a_verb_of_saying_is_masked(text: str, name: str, verb: str) -> None:
    assert self_named(text) == {name}
    shown = field_text(text)  # an officer's screen and field files: the name goes, what was said stays
    assert name not in shown and f"{NAME_IN_TEXT_WITHHELD}{verb}" in shown
    masked = mask_free_text(text)  # a leader's view and exports without the right to see identities
    assert name not in masked and name[0] + "*" in masked and f"*{verb}" in masked
    assert mask_free_text(text, keep_names=True) == text  # a reader allowed to see it still does
    assert name not in analysis_text(text)


@pytest.mark.parametrize("text", [
    "村民称村主任私分集体山林承包款。",
    "群众反映村道硬化工程偷工减料。",
    "有人说村干部用公款吃喝。",
    "反映人称村主任优亲厚友，低保评定不公。",
    "举报人表示要求保密，不愿透露身份。",
    "信访人诉称补偿款至今未到位。",
    "来信人来信称林业站收取保证金不退。",
    "信访人又说村里账目三年未公开。",
    "本人曾多次反映此事，镇里一直未处理。",
    "反映人郑重表示所反映情况属实。",
    "举报人马上说明了情况。",
    "本人曾说过此事，村里不予理睬。",
    "反映人曾向镇纪委反映，至今未答复。",
    "来信人声称补偿标准过低。",
])
def test_the_same_verbs_after_no_name_are_left_alone(text: str) -> None:
    assert self_named(text) == frozenset()
    assert field_text(text) == text and mask_free_text(text) == text


def test_a_plans_case_fields_withhold_a_writer_who_says_so() -> None:
    letter = "反映人林海生称，前进村2025年低保评定未张榜公示，村主任亲属三户均被评上。"
    case = PetitionCase("ZZ-9", dt.date(2026, 11, 3), letter, address_text="山格镇前进村")
    summary = case_details(case, names=("匿名",))["summary"]
    assert "林海生" not in summary and NAME_IN_TEXT_WITHHELD in summary and "低保评定" in summary
