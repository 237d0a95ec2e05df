"""A register without numbers imported again after its letters were edited (walk 1: 214 letters became 216).

A row whose words changed has another generated number; it is the letter imported before when the day, the
petitioner and the 序号 agree and the words are alike (updated, with history), a letter the coordinator decides on
when only part agrees (listed, new unless chosen), and another letter when its words are about another matter.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from sqlalchemy import func, select

from planner.intake.edited_letters import chosen_updates, edited_letters
from planner.intake.register import import_register, read_register
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import AuditRow, CaseHistory, CaseRow

TODAY = dt.date(2026, 12, 7)
HEADERS = ("序号", "来信日期", "信访人", "联系电话", "反映地点", "被反映人", "反映内容")
ROAD = "村里修水泥路的工程款被村主任截留，路修了一半就停工，村民出工的工钱也没有发。"
LETTERS = (
    ("2026-11-03", "林阿水", "13905961234", "平和县山格镇龙凤岗村", "村主任林某", ROAD),
    ("2026-11-05", "陈美玉", "13860012345", "龙海区角美镇白礁村", "角美镇林业站",
     "桉树砍伐要交保证金每亩300元，交了不退。"),
    ("2026-11-06", "黄志强", "13799881234", "漳浦县旧镇镇浯江村", "村委会主任黄某",
     "低保名额优亲厚友，村主任的亲戚都吃上了低保。"),
    ("2026-11-09", "吴建国", "15980123456", "诏安县四都镇西潭村", "四都镇财政所",
     "危房改造补助被截留，补助款没有发到户。"),
    ("2026-11-12", "郑秀兰", "13559991111", "东山县铜陵镇", "铜陵镇城管中队", "摊贩被乱罚款，罚款不开票据。"),
)
NOTE = "（补充：12月3日再次来信，问题仍未解决）"


def _register(letters) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["漳州市纪委监委信访室 2026年11月来信登记表"])
    ws.append(list(HEADERS))
    for i, letter in enumerate(letters, start=1):
        ws.append([i, *letter])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _edited(letters, changes: dict[int, str]):
    return tuple((*letter[:5], changes.get(i, letter[5])) for i, letter in enumerate(letters))


def _cases(engine) -> dict[str, str]:
    with session_scope(engine) as s:
        return {no: content for no, content in s.execute(select(CaseRow.case_no, CaseRow.content))}


def test_f2_reimport_with_two_edited_rows_gives_two_updates_with_history_and_no_new_letter(engine) -> None:
    first = import_register(engine, _register(LETTERS), filename="11月来信.xlsx", today=TODAY)
    assert (first.imported, first.rejected) == (5, 0)
    before = _cases(engine)
    edited = _edited(LETTERS, {1: LETTERS[1][5] + NOTE, 3: LETTERS[3][5] + NOTE})
    coordinator = Actor("lin", "coordinator", display_name="林协调")
    # Saved under another name, as walk 1 did: the 序号, day and petitioner still name the letters.
    again = import_register(engine, _register(edited), filename="11月来信（补充）.xlsx", today=TODAY,
                            actor=coordinator)
    assert (again.imported, again.updated, again.unchanged, again.rejected) == (0, 2, 3, 0)
    after = _cases(engine)
    assert after.keys() == before.keys()  # the letters keep their numbers: 5 letters, not 7
    changed = {no for no in after if after[no] != before[no]}
    assert sorted(after[no] for no in changed) == sorted([LETTERS[1][5] + NOTE, LETTERS[3][5] + NOTE])
    with session_scope(engine) as s:
        history = s.scalars(select(CaseHistory).where(CaseHistory.action == "import_update")).all()
        assert len(history) == 2
        for h in history:
            assert h.detail["changed"]["content"]["new"].endswith(NOTE) and h.detail["row"] in (4, 6)
            assert "同一封信" in h.detail["matched"]
    third = import_register(engine, _register(edited), filename="11月来信（补充）.xlsx", today=TODAY,
                            actor=coordinator)
    with session_scope(engine) as s:
        audit = s.scalars(select(AuditRow).where(AuditRow.action == "import").order_by(AuditRow.id)).all()
        assert [a.detail.get("edited_letters") for a in audit] == [2, None]  # the second time nothing changed
    assert (third.imported, third.updated, third.unchanged, third.rejected) == (0, 0, 5, 0)
    original = import_register(engine, _register(LETTERS), filename="11月来信.xlsx", today=TODAY)
    assert (original.imported, original.updated) == (0, 2)  # the old words again: the same two letters
    assert _cases(engine) == before


def test_f2_two_letters_by_one_petitioner_on_one_day_stay_two(engine) -> None:
    import_register(engine, _register(LETTERS[:1]), filename="11月来信.xlsx", today=TODAY)
    pond = (*LETTERS[0][:4], "村主任林某", "村主任把村集体鱼塘低价发包给亲戚，承包合同没有上村民代表大会。")
    # The register again with a second letter of that day and petitioner added: a new letter.
    both = _register((LETTERS[0], pond))
    with session_scope(engine) as s:
        assert edited_letters(s, read_register(both, filename="11月来信.xlsx", today=TODAY)) == ()
    added = import_register(engine, both, filename="11月来信.xlsx", today=TODAY)
    assert (added.imported, added.updated, added.unchanged) == (1, 0, 1)
    # A register of its own whose 序号 1 is a third letter of that day: same 序号, day and petitioner as the road
    # letter, other words. Shown to the coordinator, never updated unasked.
    land = (*LETTERS[0][:4], "镇国土所", "宅基地审批要交两万元“协调费”，不交就不批。")
    alone = _register((land,))
    with session_scope(engine) as s:
        found = edited_letters(s, read_register(alone, filename="补登.xlsx", today=TODAY))
    assert [(e.row, e.certain) for e in found] == [(3, False)] and "内容只有部分相同" in found[0].why
    assert chosen_updates(found) == {}
    assert import_register(engine, alone, filename="补登.xlsx", today=TODAY).imported == 1
    assert sorted(_cases(engine).values()) == sorted([ROAD, pond[5], land[5]])
    # The road letter edited afterwards updates only itself.
    road_note = (*LETTERS[0][:5], ROAD + NOTE)
    edited = import_register(engine, _register((road_note, pond)), filename="11月来信.xlsx", today=TODAY)
    assert (edited.imported, edited.updated, edited.unchanged) == (0, 1, 1)
    assert sorted(_cases(engine).values()) == sorted([ROAD + NOTE, pond[5], land[5]])


def test_f2_a_row_whose_match_is_uncertain_is_listed_and_the_coordinator_chooses(engine) -> None:
    import_register(engine, _register(LETTERS), filename="11月来信.xlsx", today=TODAY)
    before = _cases(engine)
    rewritten = "村里修水泥路的工程款被村主任截留，要求公开工程账目，追回被截留的款项。"
    data = _register(_edited(LETTERS, {0: rewritten}))
    with session_scope(engine) as s:
        found = edited_letters(s, read_register(data, filename="11月来信.xlsx", today=TODAY))
    assert len(found) == 1
    e = found[0]
    road_no = next(no for no, content in before.items() if content == ROAD)
    assert (e.row, e.ref, e.case_no, e.certain) == (3, "1", road_no, False)
    assert e.old_text.startswith("村里修水泥路") and e.new_text.startswith("村里修水泥路") and "序号相同" in e.why
    assert chosen_updates(found) == {} and chosen_updates(found, {3: road_no}) == {3: road_no}
    assert chosen_updates(found, {3: "自编-20261103-00000000", 4: road_no}) == {}  # not what the preview listed
    chosen = import_register(engine, data, filename="11月来信.xlsx", today=TODAY, choices={3: road_no})
    assert (chosen.imported, chosen.updated, chosen.unchanged) == (0, 1, 4)
    assert _cases(engine)[road_no] == rewritten and len(_cases(engine)) == 5


def test_f2_an_uncertain_row_not_chosen_comes_in_as_a_new_letter(engine) -> None:
    import_register(engine, _register(LETTERS), filename="11月来信.xlsx", today=TODAY)
    rewritten = "村里修水泥路的工程款被村主任截留，要求公开工程账目，追回被截留的款项。"
    summary = import_register(engine, _register(_edited(LETTERS, {0: rewritten})), filename="11月来信.xlsx",
                              today=TODAY)
    assert (summary.imported, summary.updated, summary.unchanged) == (1, 0, 4)
    with session_scope(engine) as s:
        assert s.execute(select(func.count()).select_from(CaseRow)).scalar_one() == 6
