"""Related complaints at one village told in everyday words (issue 18, run 57): where one letter names no matter
word the miner knows (卖地的钱, 好赌), the words find nothing against the pair and a lower closeness of meaning
(meaning.UNNAMED_VILLAGE) links it; where both name their matters, the village threshold still holds."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np

from planner.analysis import Letter, analyse, semantic
from planner.analysis.linking import _verdict
from planner.analysis.meaning import FLOOR, THRESHOLDS, UNNAMED_VILLAGE, meaning_link
from planner.analysis.pairs import _nearest_by_meaning

DAY = dt.date(2026, 3, 2)
OTHERS = [
    "云霄县陈岱镇卫生院医生收红包，开大处方。",
    "诏安县官陂镇危房改造补助被经办干部索要好处费。",
    "东山县康美镇便民服务中心办证要塞红包。",
    "龙海区角美镇村道硬化工程偷工减料，路面开裂。",
    "华安县仙都镇林业站收取桉树砍伐保证金不退。",
    "长泰区岩溪镇村干部操办儿子婚礼大操大办。",
]
# One matter at one village, the second letter in a villager's words with no matter word of the miner's.
PAIRS = [
    ("平和县霞寨镇钟腾村", "钟腾村村主任经常在茶室赌博，一把几百元，群众意见很大。",
     "我们钟腾村的村主任整天泡在牌桌上，欠了一屁股债，听说还动了村里的钱。"),
]


def _run(addr: str, a: str, b: str):
    letters = [Letter("A", a, DAY, address=addr), Letter("B", b, DAY + dt.timedelta(days=3), address=addr)]
    letters += [Letter(f"F{k}", t, DAY, address="") for k, t in enumerate(OTHERS)]
    return letters, analyse(letters)


def test_only_letters_at_one_village_are_candidates_below_the_floor():
    assert UNNAMED_VILLAGE < FLOOR <= THRESHOLDS["village"]
    # Letter 2 (received last) is 0.28 from letter 0 and 0.28 from letter 1; only 0 is at its village.
    sem = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.28, 0.28, float(np.sqrt(1 - 2 * 0.28**2))]])
    pos = np.array([0, 1, 2])
    assert _nearest_by_meaning(sem, [2], pos, 10, FLOOR) == {2: []}
    got = _nearest_by_meaning(sem, [2], pos, 10, FLOOR, UNNAMED_VILLAGE, lambda i, j: {i, j} == {0, 2})
    assert got == {2: [0]}


def test_a_villager_s_own_words_join_the_letter_that_names_the_matter():
    assert semantic.available()
    for addr, a, b in PAIRS:
        _letters, res = _run(addr, a, b)
        st = res._state
        assert not (st.mined[0].cores and st.mined[1].cores), "one letter must name no matter word"
        assert res.hotspot_of["A"] == res.hotspot_of["B"], (a, b)
        sim = float(st.matrix[0].multiply(st.matrix[1]).sum())
        ok, why = _verdict(st, res.letters, 0, 1, sim, res.options)
        assert ok and f"门槛 {UNNAMED_VILLAGE:.2f}" in why, why  # by meaning, below the village threshold


def _state(cores_a: tuple[str, ...], cores_b: tuple[str, ...], cos: float, person: str = ""):
    """Two letters at one village whose centred meaning vectors have cosine ``cos``."""
    a = np.array([1.0, 0.0])
    b = np.array([cos, float(np.sqrt(1 - cos * cos))])
    ev = SimpleNamespace(persons=frozenset({person} - {""}), cadre=False, local=False)
    place = SimpleNamespace(villages=["v:塔下村"])
    return SimpleNamespace(
        sem=np.vstack([a, b]), mined=[SimpleNamespace(cores=cores_a), SimpleNamespace(cores=cores_b)],
        evidence=[ev, ev], place_info=[place, place], meaning_pairs={},
    )


def test_the_lower_bar_holds_only_where_one_letter_names_no_matter_word():
    letters = [Letter("A", "塔下村的地卖掉了。", DAY), Letter("B", "塔下村集体土地被卖。", DAY)]
    between = (UNNAMED_VILLAGE + THRESHOLDS["village"]) / 2
    st = _state((), ("集体土地",), between)
    why = meaning_link(st, letters, 0, 1, "village")
    assert f"门槛 {UNNAMED_VILLAGE:.2f}" in why
    assert st.meaning_pairs[(0, 1)] == UNNAMED_VILLAGE  # a group it joins is measured against the same bar
    # Both letters name their matter (a mixing plant's noise, a barbecue's smoke): the words had their say.
    assert meaning_link(_state(("噪音",), ("油烟",), between), letters, 0, 1, "village") == ""
    # A named person (an official's own business at the estate, a sand works nearby): the village threshold.
    assert meaning_link(_state((), ("采砂",), between, person="赖金水"), letters, 0, 1, "village") == ""
    # Below the lower bar, or at another place, nothing changes.
    assert meaning_link(_state((), ("集体土地",), UNNAMED_VILLAGE - 0.02), letters, 0, 1, "village") == ""
    assert meaning_link(_state((), ("集体土地",), between), letters, 0, 1, "apart") == ""
