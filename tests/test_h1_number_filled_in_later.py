"""Walk H1: a letter imported with an empty 编号 cell (numbered 自编-…) whose real 编号 the clerk filled in later was
refused on re-import as "the same letter" under its 自编 number. The case now takes the real number: its history,
outcomes and plan stops stay with it, each row says so before the import, the case's history and the audit log
record it, nothing is duplicated, and importing the register again adds nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from planner.intake.numbered_later import renumbered
from planner.intake.register import import_register, known_letters, read_register
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import (
    AuditRow,
    CaseHistory,
    CaseRow,
    ImportBatch,
    PlanCase,
    PlanRow,
    VisitOutcomeRow,
)

TODAY = dt.date(2026, 12, 7)
FILE = "龙海区11月登记表.csv"
#: (序号, 编号, 收件日期, 信访人, 反映内容): one numbered letter, one signed and one unsigned with an empty 编号.
LETTERS = [("1", "LH-001", "2026-11-03", "陈国平", "港尾镇浯屿村村主任在征地中虚报青苗补偿款。"),
           ("2", "", "2026-11-05", "林秀英", "执法队员收商户钱，不给就扣三轮车，店主敢怒不敢言。"),
           ("3", "", "2026-11-11", "匿名", "反映仙都镇大地村干部截留高速征地青苗补偿。")]
COORDINATOR = Actor("xietiao", "coordinator", display_name="协调员")


def _register(letters) -> bytes:
    lines = ["序号,编号,收件日期,信访人,问题发生地,反映内容"]
    lines += [f"{ref},{no},{day},{name},龙海区港尾镇,{words}" for ref, no, day, name, words in letters]
    return ("\n".join(lines) + "\n").encode()


def _filled(**numbers: str):
    return [(ref, numbers.get(f"r{ref}", no), day, name, words) for ref, no, day, name, words in LETTERS]


def _numbers(engine) -> dict[str, int]:
    with session_scope(engine) as s:
        return dict(s.execute(select(CaseRow.case_no, CaseRow.id)).all())


def _plan_on(engine, case_no: str, case_id: int) -> int:
    """An issued plan with a stop at the case and an outcome recorded there (what must stay with the case)."""
    with session_scope(engine) as s:
        plan = PlanRow(name="11月第二周", start_date=dt.date(2026, 12, 1), days=5, status="issued",
                       problem={"visits": [{"visit_id": "v1", "case_nos": [case_no]}]},
                       result={"routes": [{"stops": [{"visit_id": "v1", "case_nos": [case_no]}]}],
                               "cases": {case_no: {"case_no": case_no, "summary": "执法队员收商户钱"}}})
        s.add(plan)
        s.flush()
        s.add(PlanCase(plan_id=plan.id, case_id=case_id, visit_id="v1", team_id="T1",
                       visit_date=dt.date(2026, 12, 2), seq=1))
        s.add(VisitOutcomeRow(case_id=case_id, plan_id=plan.id, team_id="T1", visit_date=dt.date(2026, 12, 2),
                              result="visited", findings="已核实"))
        s.commit()
        return plan.id


def test_the_case_takes_the_number_filled_in_later_and_keeps_its_plan_and_outcome(engine) -> None:
    first = import_register(engine, _register(LETTERS), filename=FILE, today=TODAY, actor=COORDINATOR)
    assert (first.imported, first.rejected) == (3, 0)
    before = _numbers(engine)
    signed = next(n for n in before if n.startswith("自编-20261105-"))
    unsigned = next(n for n in before if n.startswith("自编-20261111-"))
    plan_id = _plan_on(engine, signed, before[signed])

    data = _register(_filled(r2="LH-002", r3="LH-003"))
    with session_scope(engine) as s:
        preview = read_register(data, filename=FILE, today=TODAY, known_letters=known_letters(s))
    # Before the import: both rows are kept, each says which case takes its number.
    assert preview.valid_rows == 3 and preview.duplicate_rows == 0
    assert renumbered(preview.rows) == {3: (signed, "LH-002"), 4: (unsigned, "LH-003")}
    lines = "\n".join(preview.error_lines())
    assert f"{FILE} 第3行（序号 2）：编号 LH-002 为新填写：这封信此前因编号为空已按 {signed} 导入" in lines
    assert "导入时该信访件改用编号 LH-003" in lines

    again = import_register(engine, data, filename=FILE, today=TODAY, actor=COORDINATOR)
    assert (again.imported, again.updated, again.rejected, again.renumbered) == (0, 2, 0, 2)
    assert "其中 2 件原按空编号自编，改用登记表补填的编号" in again.text()
    after = _numbers(engine)
    assert sorted(after) == ["LH-001", "LH-002", "LH-003"]
    assert after["LH-002"] == before[signed] and after["LH-003"] == before[unsigned]  # the same cases
    with session_scope(engine) as s:
        plan = s.get(PlanRow, plan_id)
        assert plan.problem["visits"][0]["case_nos"] == ["LH-002"]
        assert plan.result["routes"][0]["stops"][0]["case_nos"] == ["LH-002"]
        assert list(plan.result["cases"]) == ["LH-002"] and plan.result["cases"]["LH-002"]["case_no"] == "LH-002"
        assert s.scalar(select(PlanCase.case_id).where(PlanCase.plan_id == plan_id)) == after["LH-002"]
        assert s.scalar(select(VisitOutcomeRow.findings).where(VisitOutcomeRow.case_id == after["LH-002"])) == "已核实"
        history = [(h.action, h.detail) for h in s.scalars(
            select(CaseHistory).where(CaseHistory.case_id == after["LH-002"]).order_by(CaseHistory.id))]
        assert ("import_renumber", {"old": signed, "new": "LH-002", "file": FILE, "row": 3,
                                    "why": "登记表补填编号"}) in history
        audit = s.scalars(select(AuditRow).where(AuditRow.action == "case_renumber")).one()
        assert sorted(audit.case_nos) == ["LH-002", "LH-003"]
        assert sorted(map(tuple, audit.detail["renumbered"])) == sorted([(signed, "LH-002"), (unsigned, "LH-003")])

    third = import_register(engine, data, filename=FILE, today=TODAY, actor=COORDINATOR)
    assert (third.imported, third.updated, third.unchanged, third.renumbered) == (0, 0, 3, 0)
    assert _numbers(engine) == after
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 3


def test_a_row_still_empty_keeps_its_case_and_a_new_letter_with_a_new_number_is_new(engine) -> None:
    import_register(engine, _register(LETTERS), filename=FILE, today=TODAY)
    before = _numbers(engine)
    # Another unsigned letter with the same words and day under a new number, while row 3 still has its empty cell:
    # row 3 is the 自编 case's letter; the new row is another villager's letter, imported as new.
    data = _register([*LETTERS, ("4", "LH-009", "2026-11-11", "匿名", LETTERS[2][4])])
    summary = import_register(engine, data, filename=FILE, today=TODAY)
    assert (summary.imported, summary.renumbered) == (1, 0)
    assert set(_numbers(engine)) == {*before, "LH-009"}


def test_a_copy_in_another_register_is_refused_as_before_and_its_own_register_numbers_it(engine) -> None:
    import_register(engine, _register(LETTERS), filename=FILE, today=TODAY)
    # The letter copied into another register under that register's number: refused as the letter it is (walk E),
    # not given that register's number.
    other = import_register(engine, _register([("9", "QT-77", "2026-11-05", "林秀英", LETTERS[1][4])]),
                            filename="另一表.csv", today=TODAY)
    assert (other.imported, other.rejected, other.duplicates, other.renumbered) == (0, 1, 1, 0)
    # Its own register then fills in LH-002 (saved under another file name: the 序号 says it is the same row).
    summary = import_register(engine, _register(_filled(r2="LH-002")), filename="龙海区11月登记表（补编号）.csv",
                              today=TODAY)
    assert (summary.imported, summary.updated, summary.renumbered) == (0, 1, 1)
    assert "LH-002" in _numbers(engine) and len(_numbers(engine)) == 3


def test_without_a_serial_only_the_same_file_numbers_the_case(engine) -> None:
    def plain(letters) -> bytes:
        return _register(letters).replace(b"\n1,", b"\n").replace(b"\n2,", b"\n").replace(b"\n3,", b"\n") \
            .replace("序号,".encode(), b"")

    import_register(engine, plain(LETTERS), filename=FILE, today=TODAY)
    elsewhere = import_register(engine, plain(_filled(r2="LH-002")), filename="别的文件.csv", today=TODAY)
    assert (elsewhere.renumbered, elsewhere.rejected) == (0, 1)
    same = import_register(engine, plain(_filled(r2="LH-002")), filename=FILE, today=TODAY)
    assert (same.renumbered, same.imported) == (1, 0) and len(_numbers(engine)) == 3


def test_the_import_page_says_which_cases_take_their_numbers_before_and_after(engine, monkeypatch) -> None:
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    import_register(engine, _register(LETTERS), filename=FILE, today=TODAY)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    app = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "pages" / "import_register.py"),
                            default_timeout=60)
    app.session_state["actor"] = COORDINATOR
    app.session_state["import_file"] = (FILE, _register(_filled(r2="LH-002")))
    app.run()
    assert not app.exception
    [note] = [i.value for i in app.info if "编号为新填写" in i.value]
    assert note.startswith(FILE) and "第 3 行 自编-20261105-" in note and "→ LH-002" in note
    assert {m.label: m.value for m in app.metric}["将拒收"] == "0"
    app.button(key="import_go").click().run()
    assert not app.exception
    assert app.session_state["import_result"]["renumbered"] == 1
    assert any("1 件原按空编号自编的信访件改用登记表补填的编号" in i.value for i in app.info)
    assert sorted(_numbers(engine)) == sorted(["LH-001", "LH-002", next(n for n in _numbers(engine) if "1111" in n)])
