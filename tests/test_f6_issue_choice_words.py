"""选件's 同类问题 filter said each group with its internal id (``保证金、林业站（3 件…）｜I0008``): the id is what the
longest labels kept and the words were cut. The options now say the group in words only; two groups said in the same
words are told apart by a letter of each, and every option stays its own."""

from __future__ import annotations

import datetime as dt

from planner.followup.overview import issue_choices
from planner.store.cases import load_cases
from planner.store.models import CaseRow, ClusterMember, ClusterRow

TODAY = dt.date(2026, 12, 7)


def _case(session, no: str, county: str, code: str) -> int:
    row = CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31), content="反映问题",
                  category="林业", county=county, county_code=code, town="某镇", lon=117.3, lat=24.4,
                  status="registered")
    session.add(row)
    session.flush()
    return row.id


def _group(session, cid: str, label: str, ids: list[int], systemic: bool = False) -> None:
    session.add(ClusterRow(id=cid, kind="issue", label=label, systemic=systemic))
    session.flush()
    for i in ids:
        session.add(ClusterMember(cluster_id=cid, case_id=i))
    session.flush()


def test_the_groups_are_said_in_words_without_their_ids(session) -> None:
    a = [_case(session, f"A{i}", "平和县", "350628") for i in range(3)]
    b = [_case(session, f"B{i}", "南靖县", "350627") for i in range(2)] + [_case(session, "B9", "华安县", "350629")]
    c = [_case(session, f"C{i}", "漳浦县", "350623") for i in range(2)] + [_case(session, "C9", "东山县", "350626")]
    d = [_case(session, f"D{i}", "云霄县", "350622") for i in range(2)]
    _group(session, "I0008", "保证金、林业站", a, systemic=True)
    _group(session, "I0011", "燃油补贴、渔业站", b)
    _group(session, "I0012", "燃油补贴、渔业站", c)  # another group, the same words and size
    _group(session, "I0013", "燃油补贴、渔业站", d)  # the same words, its size tells it apart
    choices = issue_choices(session, load_cases(session), today=TODAY)
    assert not any(cid in text for cid, text in choices.items()), choices
    assert choices["I0008"] == "保证金、林业站（3 件，系统性问题）"
    assert choices["I0011"] == "燃油补贴、渔业站（3 件，跨 2 个区县，含 B0）"
    assert choices["I0012"] == "燃油补贴、渔业站（3 件，跨 2 个区县，含 C0）"
    assert choices["I0013"] == "燃油补贴、渔业站（2 件）"
    assert len(set(choices.values())) == len(choices)


def test_a_letter_the_account_cannot_see_is_not_named(session) -> None:
    b = [_case(session, f"B{i}", "南靖县", "350627") for i in range(2)]
    c = [_case(session, f"C{i}", "漳浦县", "350623") for i in range(2)]
    _group(session, "I0011", "燃油补贴", b)
    _group(session, "I0012", "燃油补贴", c)
    seen = [x for x in load_cases(session) if x.case_no != "B0"]
    choices = issue_choices(session, seen, today=TODAY)
    assert choices["I0011"] == "燃油补贴（2 件，含 B1）" and choices["I0012"] == "燃油补贴（2 件，含 C0）"
