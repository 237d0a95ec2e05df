"""A letter's writer often names themself in its text (我叫王小明，… / 本人林某某（身份证…） / 我是…村民赖春生，电话…)
while the register's 信访人 cell is empty or says 匿名. Only the cell's names were masked, so such a name reached
officers' screens, field files and exports. The writer's self-naming is now read from the text itself."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import PetitionCase
from planner.office.privacy import analysis_text, field_text, mask_free_text, self_named
from planner.store.cases import case_details


@pytest.mark.parametrize(("text", "name"), [
    ("我叫王小明，家住前进村，反映村主任侵占补偿款", "王小明"),
    ("本人林某某（身份证350623198001011234）反映低保问题", "林某某"),
    ("我是漳浦县旧镇镇前进村村民黄丽丽反映村主任优亲厚友", "黄丽丽"),
    ("实名举报人欧阳明华电话13800001111，举报镇林业站", "欧阳明华"),
    ("举报人：陈国强。镇林业站收取砍伐保证金不退", "陈国强"),
    ("本人叫刘德华男今年55岁，反映宅基地审批收钱", "刘德华"),
    ("落款：郑家豪", "郑家豪"),
])
def test_a_writer_who_names_themself_is_masked_without_a_name_in_the_cell(text: str, name: str) -> None:
    assert self_named(text) == {name}
    shown = field_text(text)  # an officer's screen and field files: nothing of the name left
    assert name not in shown and name[0] not in shown.replace("[姓名已隐去]", "") and "[姓名已隐去]" in shown
    masked = mask_free_text(text)  # a leader's view and exports without the right to see identities
    assert name not in masked and name[0] + "*" in masked
    assert mask_free_text(text, keep_names=True).count(name) == 1  # a reader allowed to see it still does
    assert name not in analysis_text(text)  # no 关联分析 label or keyword carries it


@pytest.mark.parametrize("text", [
    "本人现年70岁，反映低保问题", "我是村民代表，反映村干部吃喝", "本人反映村干部违规发放补贴",
    "本人于去年十月交了保证金",
    "我是张三的邻居，他家被强拆", "村民张三反映村道偷工减料", "我是王庄村村民，反映养猪场污染", "本人家住岸头村",
    "我是党员，要求公开村务", "举报人要求保密",
])
def test_words_after_a_cue_that_name_nobody_are_left_alone(text: str) -> None:
    assert self_named(text) == frozenset()
    assert field_text(text) == text and mask_free_text(text) == text


def test_a_plans_case_fields_withhold_a_self_named_writer_of_an_anonymous_letter() -> None:
    letter = "我叫赖春生，是山格镇前进村村民，林业站收取砍伐保证金3000元不退。"
    case = PetitionCase("ZZ-9", dt.date(2026, 11, 3), letter, address_text="山格镇前进村")
    summary = case_details(case, names=("匿名",))["summary"]
    assert "赖春生" not in summary and "[姓名已隐去]" in summary and "保证金" in summary
