"""Walk E: the review queue (待确认关联) states why a pair was kept apart as it is, and does not offer again a letter a
leader moved out of its group."""

import datetime as dt

from planner.analysis import Decision, Letter, analyse, apply_decision
from planner.analysis.review import near_misses
from tests.test_cluster_restore import _letters as _dev_letters

#: Walk E's 征地补偿 letters (register_q34 and register_more): 0146, at another county, shares 征地 and 青苗补偿 with
#: 0013 but the group's main matter is 拆迁.
COMPENSATION = [
    ("0012", "2026-08-18", "龙海区角美镇东美社区",
     "角美镇东美社区征地补偿款被社区截留，每亩少发了八千元，账目也不公开，居民多次去问都说不知道。"),
    ("0013", "2026-08-27", "龙海区角美镇东美社区",
     "东美社区书记郑某在征地拆迁中虚报青苗补偿，套取国家补偿款，还让亲戚虚增坟墓迁移数量。"),
    ("0014", "2026-09-09", "龙海区角美镇",
     "反映龙海角美东美片区征地，村集体留用的那部分补偿款去向不明，要求公开账目。"),
    ("0015", "2026-10-10", "龙海区角美镇东美社区",
     "角美镇征迁工作组人员和社区干部合伙虚增地上附着物，骗取补偿款，有的空地一夜之间种满了树苗。"),
    ("0137", "2026-10-12", "龙海区东泗乡",
     "东泗乡有干部在征地中替亲戚抢建房屋，骗取拆迁补偿。"),
    ("0016", "2026-11-03", "龙海区角美镇东美社区",
     "东美社区土地征收补偿款分配方案没有经过居民代表大会讨论，干部家属多分，普通居民少分。"),
    ("0146", "2026-11-23", "漳浦县石榴镇",
     "石榴镇有干部在高速公路征地中虚增青苗补偿数量。"),
]


def test_a_letter_in_no_group_is_never_said_to_have_joined_a_closer_group():
    letters = [*_dev_letters(), *(Letter(i, t, dt.date.fromisoformat(d), address=a) for i, d, a, t in COMPENSATION)]
    first = analyse(letters)
    # As in walk E, 0146 was stored on its own by an earlier run; a re-run keeps letters already grouped.
    stored = {**first.issue_of, "0146": "I0099"}
    result = analyse(letters, previous_assignment=stored)
    assert result.cluster(result.issue_of["0146"]).case_nos == ("0146",)
    queue = near_misses(result, limit=50)
    pair = next(m for m in queue if {m.a_id, m.b_id} == {"0013", "0146"})
    assert "更相近的组" not in pair.evidence_against
    # Since run 66 the 征地补偿款 letters of 杨厝村 join 东美社区's group, whose main matter then differs from 0146's
    # 青苗补偿 (said first); before, that it stands alone was all there was to say.
    assert "0146 单独成组" in pair.evidence_against or "与对方所在组的主要事项" in pair.evidence_against
    for m in queue:
        if "更相近的组" in m.evidence_against:
            assert result.cluster(m.b_issue).size > 1, m


def test_a_detached_letter_is_not_offered_again_with_the_group_it_left():
    letters = _dev_letters()
    first = analyse(letters)
    group = set(first.cluster(first.issue_of["D04"]).case_nos) - {"D04"}
    before = [m for m in near_misses(first, limit=50) if "D04" in (m.a_id, m.b_id)]
    res = apply_decision(first, Decision("detach", letter_ids=("D04",)))
    assert set(res.decisions[-1].anchors) >= group
    for result in (res, analyse(letters, decisions=res.decisions, previous_assignment=res.issue_of)):
        for m in near_misses(result, limit=50):
            assert not ({m.a_id, m.b_id} & {"D04"} and {m.a_id, m.b_id} & group), m
    assert not before  # nothing hid it before the leader acted: the group held D04


def test_a_pair_kept_apart_by_the_groups_main_matter_names_both_in_the_letters_words():
    # Walk E, 0013↔0146 over the whole register: linked through 征地 and 青苗补偿 (words rare in the register), so the
    # loose money word 补偿款 is left out and the group's main matter is 拆迁 alone.
    letters = [*_dev_letters(), *(Letter(i, t, dt.date.fromisoformat(d), address=a) for i, d, a, t in COMPENSATION)]
    first = analyse(letters)
    result = analyse(letters, previous_assignment={**first.issue_of, "0146": "I0099"})
    state = result._state
    at = {lt.letter_id: i for i, lt in enumerate(result.letters)}
    state.anchor_pairs.add(tuple(sorted((at["0013"], at["0146"]))))
    group = result.issue_of["0013"]
    state.cluster_cores[group] = type(state.cluster_cores[group])({"拆迁": 9, "补偿款": 9})
    state.dominant_cache.pop(group, None)
    pair = next(m for m in near_misses(result, limit=50) if {m.a_id, m.b_id} == {"0013", "0146"})
    assert pair.evidence_against == "0146 的事项（青苗补偿）与对方所在组的主要事项（拆迁）不同"
