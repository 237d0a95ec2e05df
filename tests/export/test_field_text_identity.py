"""Walk F: an officer's day and every file of it read “我是山格镇前进村村民赖**，电话139****1234”: the letter's own
words with the writer masked, not withheld. A surname, a village and a phone's last four digits name a person in a
village, and the README promises officers' files carry no petitioner details at all. Field text now withholds them
whole, and plans saved before the change (their summaries hold the masked fragments) are cleaned when read.
"""

from __future__ import annotations

import datetime as dt

from planner.domain import PetitionCase
from planner.field.model import CaseInfo
from planner.office.privacy import field_text
from planner.store.cases import case_details

LETTER = "我是山格镇前进村村民赖木生，电话13912341234，身份证350628198001011234，林业站收取砍伐保证金3000元不退。"


def _clean(text: str) -> None:
    assert "赖" not in text and "1234" not in text and "*" not in text, text
    assert "[姓名已隐去]" in text and "[电话已隐去]" in text and "[身份证号已隐去]" in text, text


def test_a_plans_case_fields_withhold_the_writer_whole() -> None:
    case = PetitionCase("ZZ-1", dt.date(2026, 11, 3), LETTER, address_text="山格镇前进村赖木生家（13912341234）")
    details = case_details(case, names=("赖木生",))
    summary = details["summary"]
    assert "赖" not in summary and "*" not in summary and "[姓名已隐去]" in summary
    assert "[电话已隐去]" in details["address"] and "1234" not in details["address"]
    assert "保证金" in summary  # the matter itself is kept


def test_a_plan_saved_with_masked_fragments_is_cleaned_when_read() -> None:
    old = "我是科山村的张**，手机189****1234，座机0596-6123456，反映低保优亲厚友"
    info = CaseInfo.from_json("ZZ-7", {"summary": old, "address": "科山村张**家"})
    assert info.summary == "我是科山村的[姓名已隐去]，手机[电话已隐去]，座机[电话已隐去]，反映低保优亲厚友"
    assert info.address == "科山村[姓名已隐去]家"


def test_ordinary_numbers_and_words_are_left_alone() -> None:
    text = "砍伐桉树要交保证金3000元，2026年11月3日，编号2026-001，涉及12户"
    assert field_text(text) == text
    _clean(field_text(LETTER, ["赖木生"]))


def test_a_bold_span_of_the_letter_is_no_masked_name() -> None:
    """Walk H: ``**粗体**`` read ``**粗[姓名已隐去]`` on the itinerary and in every file (体** looked like 赖**)."""
    assert field_text("**粗体**反映村道偷工减料") == "**粗体**反映村道偷工减料"
    assert field_text("我是科山村的张**，**重要**") == "我是科山村的[姓名已隐去]，**重要**"
    _clean(field_text(LETTER, ["赖木生"]))
