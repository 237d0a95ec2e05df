"""Walk 1: 案件地图 showed “樟塘镇某村**虚报**低保户名单” as
“樟塘镇某[姓名已隐去]虚[姓名已隐去]低保户名单”: the letter's own bold marks after 村 and 报 were taken for masked
names (赖**). Names are withheld whole; ordinary words, and the characters of a name inside them (村, 报, 林, 陈),
stay as written."""

from __future__ import annotations

import pytest

from planner.office.privacy import NAME_IN_TEXT_WITHHELD, field_text, mask_free_text

W = NAME_IN_TEXT_WITHHELD


@pytest.mark.parametrize("text", [
    "樟塘镇某村**虚报**低保户名单",
    "东山县樟塘镇某村**虚报**低保户名单，涉及**十余户**",
    "林**地**承包款被截留",
    "**粗体**反映村道偷工减料",
])
def test_a_letters_bold_words_keep_their_characters(text: str) -> None:
    assert field_text(text, ["朱丽萍"]) == text


@pytest.mark.parametrize(("names", "text"), [
    (["林"], "林场承包款被村干部截留，林地补偿未发放"),
    (["陈"], "陈旧校舍改造资金被挪用，陈列室空置"),
    (["村"], "某村虚报低保户名单"),
    (["报"], "某村虚报低保户名单，举报材料附后"),
])
def test_a_one_character_name_is_not_masked_inside_words(names: list[str], text: str) -> None:
    assert field_text(text, names) == text
    assert mask_free_text(text, names) == text


def test_a_name_is_masked_whole_and_the_words_around_it_stay() -> None:
    words = "反映：樟塘镇某村**虚报**低保户名单，林地补偿款也被截留。联系电话"
    text = f"陈村生{words}13905961234"
    assert field_text(text, ["陈村生"]) == f"{W}{words}[电话已隐去]"
    assert mask_free_text(text, ["陈村生"]) == f"陈**{words}139****1234"


def test_a_bold_name_is_withheld_and_its_marks_kept() -> None:
    assert field_text("村民**林海生**反映村道偷工减料", ["林海生"]) == f"村民**{W}**反映村道偷工减料"


@pytest.mark.parametrize(("text", "shown"), [
    # Masked names left in plans saved earlier are still withheld whole, also two that look like a bold pair.
    ("赖**和陈**反映村道偷工减料", f"{W}和{W}反映村道偷工减料"),
    ("张**、李**反映低保", f"{W}、{W}反映低保"),
    ("我是前进村村民赖**，电话139****1234", f"我是前进村村民{W}，电话[电话已隐去]"),
    ("某林**虚报低保", f"某{W}虚报低保"),
    ("陈*反映，欧***证明", f"{W}反映，{W}证明"),
    ("我是科山村的张**，**重要**", f"我是科山村的{W}，**重要**"),
])
def test_masked_names_are_still_withheld(text: str, shown: str) -> None:
    assert field_text(text) == shown


def test_identities_in_a_bold_letter_never_show() -> None:
    text = "我叫林海生，身份证350623198001011234，电话0596-6123456，反映某村**虚报**低保"
    out = field_text(text, ["林海生"])
    assert "林海生" not in out and "1234" not in out and "6123456" not in out and "350623" not in out
    assert out.endswith("反映某村**虚报**低保")
