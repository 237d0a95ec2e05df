"""A letter about a place outside Zhangzhou (市外，转外地办理) joins no group of the city's own letters (walk 1: 安溪
城厢镇茶叶补贴 sat in a group of 诏安 and 华安 letters), also when an earlier run had put it there; two such letters
and the same petitioner's letters are still judged as before."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from planner.analysis import Letter, analyse
from planner.followup.overview import OUTSIDE_NOTE
from planner.store import clusters as store
from planner.store.models import CaseRow

DAY = dt.date(2026, 11, 2)
SAME = "城厢镇林业站收桉树采伐保证金，每亩二百元，砍完了不退还。"
ROWS = [
    ("C1", "诏安县官陂镇", "官陂镇林业站收取桉树砍伐保证金每亩200元，砍完不退。"),
    ("C2", "华安县仙都镇", "仙都镇林业站砍伐桉树要先交保证金，每亩两百元，至今没退。"),
    ("OUT", "泉州市安溪县城厢镇", SAME),
]


def _letters(outside: bool) -> list[Letter]:
    return [Letter(n, t, DAY + dt.timedelta(days=k), address=a, outside=outside and n == "OUT")
            for k, (n, a, t) in enumerate(ROWS)]


def test_an_outside_letter_is_linked_to_no_city_letter_but_to_its_writer():
    plain = analyse(_letters(False))
    assert plain.issue_of["OUT"] == plain.issue_of["C1"] == plain.issue_of["C2"]  # the words alone join all three
    kept = analyse(_letters(True))
    assert kept.issue_of["C1"] == kept.issue_of["C2"] != kept.issue_of["OUT"]
    why = kept.explain("C1", "OUT")
    assert not why.same_issue
    same_writer = [*_letters(True)[:2], Letter("OUT", SAME, DAY, address="泉州市安溪县城厢镇", outside=True,
                                               petitioner_key="p1")]
    same_writer[0] = Letter("C1", SAME, DAY, address="诏安县官陂镇", petitioner_key="p1")
    assert analyse(same_writer).issue_of["OUT"] == analyse(same_writer).issue_of["C1"]


def test_recluster_reads_outside_from_the_store_and_takes_a_stored_outside_letter_out(session):
    for k, (n, _a, t) in enumerate(ROWS):
        session.add(CaseRow(case_no=n, received_date=DAY + dt.timedelta(days=k),
                            deadline=DAY + dt.timedelta(days=60), content=t))
    session.flush()
    letters = _letters(False)
    first = store.recluster(session, letters)  # before the import marked it 市外: one group of three
    session.commit()
    assert first.issue_of["OUT"] == first.issue_of["C1"]
    session.execute(update(CaseRow).where(CaseRow.case_no == "OUT")
                    .values(geocode_message=OUTSIDE_NOTE + "（泉州市安溪县）", county_code=""))
    session.commit()
    again = store.recluster(session, letters)
    session.commit()
    assert again.issue_of["C1"] == again.issue_of["C2"] == first.issue_of["C1"]  # the city's group keeps its id
    assert again.issue_of["OUT"] != again.issue_of["C1"]
    assert store.load_assignment(session)["OUT"] == again.issue_of["OUT"]
