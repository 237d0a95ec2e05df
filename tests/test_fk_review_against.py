"""待确认关联 (walk W28): the evidence against a pair never contradicts the evidence for it, nor the office rule.

A public programme's money going astray (kept, docked, drawn for the dead, claimed for nothing) is one matter at
every village; a pair about 高龄补贴 or 危房改造 read 「村干部或村级事务，属各村各自的问题」 against, as if that rule
did not exist: it now says which letter tells something else (who was chosen, a fee) or whose words did not read as
the money going astray. 「同类单位但缺少共同的具体事项」 stood beside 共同核心事项：保证金: it now says 除保证金外.
"""

import datetime as dt

from planner.analysis import Letter
from planner.analysis.clustering import analyse
from planner.analysis.evidence import _ASTRAY_RE
from planner.analysis.review import near_misses

_OTHERS = [
    ("B01", "反映城关一家砂石场夜间开采噪音扰民，粉尘很大。", "平和县小溪镇"),
    ("B02", "反映镇卫生院医生收红包，看病要先交钱才给开药。", "云霄县莆美镇"),
    ("B03", "反映农村道路硬化工程偷工减料，路面刚修好就开裂。", "漳浦县旧镇"),
]


def _queue(rows):
    letters = [Letter(no, text, dt.date(2026, 10, n + 1), address=addr) for n, (no, text, addr) in enumerate(rows)]
    return {(m.a_id, m.b_id): m for m in near_misses(analyse(letters), limit=20)}


def test_a_programme_pair_kept_apart_says_which_letter_is_not_its_money_going_astray():
    queue = _queue([
        ("A1", "反映东山村村干部冒领已去世老人的高龄补贴。", "南靖县金山镇东山村"),
        ("A2", "反映西湖村村干部把高龄补贴名额给了自己亲戚。", "漳浦县旧镇西湖村"),
        ("H1", "反映南坑村村干部在危房改造中收取好处费，每户要交两千元才给报危房改造补助。", "平和县小溪镇南坑村"),
        ("H2", "反映北岭村危房改造补助款被村主任拿了一半，房子至今没修。", "华安县仙都镇北岭村"),
        *_OTHERS,
    ])
    old = "村干部或村级事务，属各村各自的问题"
    aged = queue[("A1", "A2")]
    assert "共同核心事项：高龄补贴" in aged.evidence_for
    assert aged.evidence_against != old
    assert aged.evidence_against.startswith("同为高龄补贴，但A2 说的是谁能享受（“名额”）"), aged.evidence_against
    assert "A1" not in aged.evidence_against  # A1 tells the money drawn for the dead
    house = queue[("H1", "H2")]
    assert house.evidence_against.startswith("同为危房改造，但H1 的用词未读出这笔钱被截留"), house.evidence_against
    assert "H2" not in house.evidence_against  # 被村主任拿了一半 is the money kept
    assert _ASTRAY_RE.search("危房改造补助款被村主任拿了一半")


def test_nothing_specific_in_common_names_what_the_evidence_for_shares():
    queue = _queue([
        ("K1", "反映九峰镇林业站收取保证金不退还，站长态度恶劣。", "平和县九峰镇"),
        ("K2", "反映书洋镇林业站工作人员收取保证金后不开收据。", "南靖县书洋镇"),
        ("F1", "反映小溪镇林业站工作人员上班时间打牌。", "平和县小溪镇"),
        ("F2", "反映仙都镇林业站站长长期不在岗。", "华安县仙都镇"),
        ("F3", "反映旧镇林业站审批采伐证拖延半年。", "漳浦县旧镇"),
        ("F4", "反映莆美镇林业站工作人员酒后驾驶公车。", "云霄县莆美镇"),
        ("P1", "反映小溪镇某工程要求施工队交保证金，工程结束后不退。", "平和县小溪镇"),
        ("P2", "反映旧镇幼儿园收取入园保证金。", "漳浦县旧镇"),
        ("P3", "反映莆美镇驾校收取培训保证金不退。", "云霄县莆美镇"),
        _OTHERS[0],
    ])
    unit = queue[("K1", "K2")]
    assert "共同核心事项：保证金" in unit.evidence_for
    assert unit.evidence_against == "同类单位，除保证金外缺少共同的具体事项"
    assert queue[("P2", "P3")].evidence_against == "不同地点，除保证金外缺少共同的具体事项"
