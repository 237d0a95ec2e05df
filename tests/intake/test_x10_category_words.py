"""Letters of walk W33 left 未分类: a repair subsidy misappropriated and an old-town renewal's compensation, told in the
words county registers use (修缮补助, 维修补助; 旧改, 旧城改造, 拆迁补偿, 安置补偿)."""

from __future__ import annotations

import pytest

from planner.intake.categorize import infer_category


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("土楼修缮补助被挪用", "惠农补贴"),
        ("祖厝修缮补助被村干部冒领", "惠农补贴"),
        ("古民居维修补助被截留", "惠农补贴"),
        ("旧改补偿不到位", "征地拆迁"),
        ("村里旧改补偿款迟迟不到位", "征地拆迁"),
        ("旧城改造拆迁补偿标准不一", "征地拆迁"),
        ("安置补偿协议至今未兑现", "征地拆迁"),
    ],
)
def test_w33_letters_are_read_into_their_category(text: str, category: str) -> None:
    assert infer_category(text).category == category


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("公益林补偿不到位", "林业"),  # a forest's compensation stays 林业
        ("扶贫项目建房补助被挪用", "扶贫资金"),  # a poverty fund stays 扶贫资金
        ("水利设施维修补助被挪用，水渠至今没修", "工程建设"),
    ],
)
def test_the_new_words_do_not_take_a_letter_from_its_own_matter(text: str, category: str) -> None:
    assert infer_category(text).category == category
