"""A writer's 再次反映 that names the village joins the writer's first letter at that town which named none (walk
W16: 北辰村拆违不公 written again; the first letter said only 朝阳镇, so the two places had no key in common and the
repeat joined another writer's letter instead, with no 重复举报 chain)."""

import datetime as dt

from planner.analysis import Letter, analyse


def _letters():
    return [
        Letter("Z1", "朝阳镇拆除违章建筑只拆老百姓的，村干部亲戚盖的三层楼一直没人管，执法不公。",
               dt.date(2026, 9, 9), address="龙文区朝阳镇", petitioner_key="writer-a"),
        Letter("Z2", "北辰村拆违搞选择性执法，我家的铁皮棚被强拆，村主任家路边的违建没人动，执法队说没接到指令。",
               dt.date(2026, 9, 20), address="龙文区朝阳镇北辰村", petitioner_key="writer-b"),
        Letter("Z3", "再次反映北辰村拆违不公的事，村里说名单是镇里定的，镇里说名单是村里报的，互相推诿。",
               dt.date(2026, 11, 9), address="龙文区朝阳镇", petitioner_key="writer-a"),
        Letter("Z4", "浦南镇卫生院医生收红包，开大处方，医保基金被套取。", dt.date(2026, 10, 1),
               address="芗城区浦南镇", petitioner_key="writer-c"),
    ]


def test_repeat_naming_the_village_joins_the_first_letter():
    res = analyse(_letters())
    assert res.issue_of["Z3"] == res.issue_of["Z1"]
    assert res.repeat_of.get("Z3") == "Z1"
    assert res.issue_of["Z4"] != res.issue_of["Z1"]


def test_chain_label_counts_letters_as_letters():
    """A chain of two letters is one repeat: its label said 重复举报 2 次 (walk W16); it says how many letters came."""
    res = analyse(_letters())
    chain = next(c for c in res.repeats if "Z3" in c.case_nos)
    assert chain.case_nos == ("Z1", "Z3")
    assert "来信 2 封" in chain.label and "2 次" not in chain.label
