"""回访跟踪's confirmation tick says what a correction of a 反映不实 finding does to the 澄清函 resting on it: it is
withdrawn (bb1f288); the label still said the letter went on resting on the old finding (F2's walk)."""

from planner.followup.outcome_basis import CONFIRM_LABEL


def test_confirm_label_says_the_letter_is_withdrawn():
    assert "撤回" in CONFIRM_LABEL and "澄清函" in CONFIRM_LABEL
    assert "已出具的澄清函、已登记的反馈以原认定为据" not in CONFIRM_LABEL
