"""Walk W28 (关联分析): a letter split off by hand and then given back (恢复自动分组) goes where the analysis puts it.

The earliest letter of a group, split off and restored, stayed 单独一件 for good: restored letters were placed like
new ones, which join only letters received before them. A 全部重新归类 put it back; now the restore itself does.
"""

import datetime as dt

from planner.analysis import Decision, Letter
from planner.store import clusters as store
from planner.store.models import CaseRow

_TEA = "反映{v}村干部把茶园改造补助款截留，每户应得的茶园款被扣了一半，至今没有发到村民手里，请求查清茶园款去向。"
_OTHER = (
    ("B01", "反映城关镇一家砂石场夜间开采噪音扰民，粉尘很大，多次反映没有处理。", "平和县小溪镇"),
    ("B02", "反映镇卫生院医生收红包，看病要先交钱才给开药，群众意见很大。", "云霄县莆美镇"),
    ("B03", "反映农村道路硬化工程偷工减料，路面刚修好就开裂，施工方不予返修。", "漳浦县旧镇"),
    ("B04", "反映学校食堂伙食差、收费高，学生家长多次反映无人过问。", "诏安县南诏镇"),
)


def _letters() -> list[Letter]:
    out = [Letter(f"T0{n}", _TEA.format(v="岭埔"), dt.date(2026, 10, n), address="南靖县金山镇岭埔村")
           for n in range(1, 5)]
    out += [Letter(no, text, dt.date(2026, 10, 10 + k), address=addr) for k, (no, text, addr) in enumerate(_OTHER)]
    return out


def _stored(session, letters):
    for lt in letters:
        session.add(CaseRow(case_no=lt.letter_id, received_date=lt.received_date,
                            deadline=lt.received_date + dt.timedelta(days=60), content=lt.text))
    session.flush()


def test_the_earliest_letter_split_off_goes_back_to_its_group_when_restored(session):
    letters = _letters()
    _stored(session, letters)
    first = store.recluster(session, letters)
    session.commit()
    tea = first.issue_of["T01"]
    assert {first.issue_of[f"T0{n}"] for n in range(1, 5)} == {tea}
    split = store.decide(session, first, Decision("split", letter_ids=("T01",)), who="zuzhang1")
    session.commit()
    assert split.issue_of["T01"] != tea
    assert store.recluster(session, letters).issue_of["T01"] != tea  # the split holds in a later run
    session.commit()

    restored, changed = store.restore_automatic(session, letters, ["T01"], who="zuzhang1")
    session.commit()
    assert changed == 1 and store.load_decisions(session) == []
    assert restored.issue_of["T01"] == tea  # was a group of its own
    again = store.recluster(session, letters)  # 重新分析 keeps it there
    assert again.issue_of == restored.issue_of

