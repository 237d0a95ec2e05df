"""A two-character word jieba's HMM makes of a clause word and the next character (但路 of 但路也没修) is no word of
the letter: it is neither a matter word nor a 共同关键词 of two letters (walk W14: 但路 shown as shared)."""

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.textmine import mine, segment


def test_made_up_clause_word_cut_apart():
    assert "但路" not in segment("村里修路的钱收了，但路也没修")
    assert "但路" not in mine("村里修路的钱收了，但路也没修，钱去哪了").tokens
    # Dictionary words that begin so stay whole.
    assert "但是" in segment("但是钱一直没有发")
    assert "并且" in mine("收了钱并且不开收据").tokens or "并且" in segment("收了钱并且不开收据")


def test_no_made_up_word_among_shared_terms():
    letters = [
        Letter("A1", "龙海区榜山镇洋西村修路每户集资五百元，钱收了，但路也没修，村账不公开。", dt.date(2026, 3, 1),
               address="龙海区榜山镇洋西村"),
        Letter("A2", "榜山镇洋西村村委会向村民收修路集资款，每户五百元，但路也没修，钱不知去向。", dt.date(2026, 3, 9),
               address="龙海区榜山镇洋西村"),
    ]
    res = analyse(letters)
    terms = res.explain("A1", "A2").shared_terms
    assert terms, "the two letters share words"
    assert "但路" not in terms


def test_how_often_is_no_part_of_a_village_name():
    """再反映一次莆美村 named the place 一次莆美村, and the hotspot was labelled so (walk W16)."""
    for text in ("再反映一次莆美村不公开村务的问题。", "上次莆美村的事到现在没人管。"):
        assert [p.name for p in mine(text).places] == ["莆美村"], text
