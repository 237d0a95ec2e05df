"""A village's own name is no matter of its letters (walk W28): 半山村 was cut into 半 + 山村, so 山村 was a matter
word 半山村's 低保 letter and its 殴打 letter shared, and the meaning model read both village names too — one matter by
a piece of their place's name. The pieces of a letter's own village are taken out of its words, and every village name
of the table out of the text the meaning model reads."""

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.evidence import _letter_parts
from planner.analysis.semantic import prepared
from planner.commands.cluster import geocode_letters


def test_the_pieces_of_a_letters_own_village_are_no_words_of_it():
    letter = Letter("A1", "半山村低保名额被村干部亲戚占了，困难户评不上。", village="半山村")
    mined, features, _evidence, _places = _letter_parts(letter)
    assert "山村" not in mined.tokens and "低保" in mined.tokens
    assert not any("山村" in f for f in features)
    # The word on its own, outside the name, is the letter's word.
    other = Letter("A3", "半山村是山村，低保名额被村干部亲戚占了。", village="半山村")
    assert "山村" in _letter_parts(other)[0].tokens
    read = prepared("半山村低保名额被村干部亲戚占了")
    assert "山村" not in read and "低保名额" in read


def test_two_matters_at_one_village_stay_two():
    rows = [
        ("A1", "华安县华丰镇半山村", "半山村低保名额被村干部亲戚占了，困难户评不上。"),
        ("A2", "华安县华丰镇半山村", "半山村村主任殴打反映问题的村民。"),
        ("B1", "华安县华丰镇半山村", "半山村低保名额被村干部的亲戚占了，真正困难的评不上。"),
        ("U1", "南靖县丰田镇丰田村", "丰田村河道夜间非法采砂，运砂车压坏村道。"),
        ("U2", "平和县坂仔镇心田村", "心田村村主任殴打来村委会反映问题的村民，致其受伤。"),
    ]
    letters = geocode_letters([Letter(i, t, dt.date(2026, 10, 1) + dt.timedelta(days=k), address=a,
                                      petitioner_key=f"p-{i}") for k, (i, a, t) in enumerate(rows)])
    result = analyse(letters)
    assert result.issue_of["A1"] == result.issue_of["B1"]  # one matter at one village
    assert result.issue_of["A2"] != result.issue_of["A1"]  # another matter there
    assert "山村" not in result.explain("A1", "A2").shared_terms
