"""Walk H1: in a register with a 编号 column, a letter whose 编号 cell is empty is numbered from its words
(自编-…); the clerk corrected a typo in its words and the re-import made it a second case. Such a row is now matched
to the letter it was, as a register without numbers matches edited letters (planner.intake.edited_letters): the
same received day, writer and 序号 (or file) with alike words updates the case with history; a row that only may be
it is listed before the import, naming the row and the letter, and comes in as new only if the coordinator says so."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.intake import edited_letters as edits
from planner.intake.register import import_register, known_letters, read_register
from planner.store.database import session_scope
from planner.store.models import CaseHistory, CaseRow

TODAY = dt.date(2026, 12, 7)
WORDS = "执法队员收商户钱，不给就扣三轮车，店主敢怒不敢言。"
TYPO_FIXED = "执法队员收取商户钱财，不给就扣三轮车，店主敢怒不敢言。"


def _register(words: str, *, serial: bool = True, address: str = "龙海区港尾镇") -> bytes:
    head = ["序号"] * serial + ["编号", "收件日期", "信访人", "问题发生地", "反映内容"]
    rows = [["1"] * serial + ["LH-001", "2026-11-03", "陈国平", "龙海区港尾镇", "村主任在征地中虚报青苗补偿款。"],
            ["2"] * serial + ["", "2026-11-05", "林秀英", address, words]]
    return ("\n".join(",".join(r) for r in [head, *rows]) + "\n").encode()


def _cases(engine) -> dict[str, str]:
    with session_scope(engine) as s:
        return dict(s.execute(select(CaseRow.case_no, CaseRow.content)).all())


def _found(engine, data: bytes, filename: str):
    with session_scope(engine) as s:
        preview = read_register(data, filename=filename, today=TODAY, known_letters=known_letters(s))
        return preview, edits.edited_letters(s, preview)


def test_a_corrected_typo_updates_the_letter_instead_of_adding_one(engine) -> None:
    import_register(engine, _register(WORDS), filename="11月.csv", today=TODAY)
    [(number, _)] = [(n, c) for n, c in _cases(engine).items() if n.startswith("自编-")]
    data = _register(TYPO_FIXED)
    _, found = _found(engine, data, "11月（改）.csv")
    [e] = found
    assert (e.row, e.case_no, e.certain) == (3, number, True)  # the same 序号, day and writer; words alike
    assert "序号相同" in e.why and e.change == "加「取」；加「财」"
    summary = import_register(engine, data, filename="11月（改）.csv", today=TODAY)
    assert (summary.imported, summary.updated) == (0, 1)
    assert _cases(engine) == {"LH-001": "村主任在征地中虚报青苗补偿款。", number: TYPO_FIXED}
    with session_scope(engine) as s:
        case_id = s.scalar(select(CaseRow.id).where(CaseRow.case_no == number))
        [entry] = s.scalars(select(CaseHistory).where(CaseHistory.case_id == case_id,
                                                      CaseHistory.action == "import_update")).all()
        assert entry.detail["changed"]["content"] == {"old": WORDS, "new": TYPO_FIXED} and entry.detail["matched"]
    again = import_register(engine, data, filename="11月（改）.csv", today=TODAY)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 2)
    assert len(_cases(engine)) == 2


def test_a_corrected_address_changes_no_number(engine) -> None:
    import_register(engine, _register(WORDS), filename="11月.csv", today=TODAY)
    summary = import_register(engine, _register(WORDS, address="龙海区港尾镇浯屿村"), filename="11月.csv", today=TODAY)
    assert (summary.imported, summary.updated) == (0, 1) and len(_cases(engine)) == 2


def test_without_a_serial_from_another_file_the_row_is_listed_and_new_unless_chosen(engine) -> None:
    import_register(engine, _register(WORDS, serial=False), filename="11月.csv", today=TODAY)
    [number] = [n for n in _cases(engine) if n.startswith("自编-")]
    data = _register(TYPO_FIXED, serial=False)
    _, found = _found(engine, data, "另一个文件.csv")
    [e] = found
    assert (e.row, e.case_no, e.certain) == (3, number, False) and "来自另一个文件" in e.why
    chosen = import_register(engine, data, filename="另一个文件.csv", today=TODAY, choices={3: number})
    assert (chosen.imported, chosen.updated) == (0, 1) and len(_cases(engine)) == 2


def test_two_different_letters_of_one_writer_on_one_day_stay_two(engine) -> None:
    import_register(engine, _register(WORDS), filename="11月.csv", today=TODAY)
    other = "反映港尾镇卫生院收费不开票据，多收药费。"
    _, found = _found(engine, _register(other), "11月.csv")
    assert [e.certain for e in found] == [False]  # the same 序号, other words: listed, never merged unasked
    summary = import_register(engine, _register(other), filename="11月.csv", today=TODAY)
    assert summary.imported == 1 and len(_cases(engine)) == 3


def test_an_unsigned_letter_edited_is_listed_before_the_import_never_updated_unasked(engine) -> None:
    def unsigned(words: str) -> bytes:
        return _register(words).replace("林秀英".encode(), "匿名".encode())

    import_register(engine, unsigned(WORDS), filename="11月.csv", today=TODAY)
    [number] = [n for n in _cases(engine) if n.startswith("自编-")]
    _, found = _found(engine, unsigned(TYPO_FIXED), "11月.csv")
    [e] = found
    assert (e.row, e.case_no, e.certain) == (3, number, False) and "未署名" in e.why
    # Chosen by the coordinator: the letter is updated, nothing added (unchosen, it would come in as new).
    chosen = import_register(engine, unsigned(TYPO_FIXED), filename="11月.csv", today=TODAY, choices={3: number})
    assert (chosen.imported, chosen.updated) == (0, 1) and _cases(engine)[number] == TYPO_FIXED


def test_an_unsigned_letter_edited_and_not_chosen_comes_in_as_new(engine) -> None:
    def unsigned(words: str) -> bytes:
        return _register(words).replace("林秀英".encode(), "匿名".encode())

    import_register(engine, unsigned(WORDS), filename="11月.csv", today=TODAY)
    assert import_register(engine, unsigned(TYPO_FIXED), filename="11月.csv", today=TODAY).imported == 1


def test_the_import_page_lists_the_edited_row_of_a_numbered_register(engine, monkeypatch) -> None:
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from planner.office.security import Actor

    import_register(engine, _register(WORDS, serial=False), filename="11月.csv", today=TODAY)
    [number] = [n for n in _cases(engine) if n.startswith("自编-")]
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    app = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "pages" / "import_register.py"),
                            default_timeout=60)
    app.session_state["actor"] = Actor("xietiao", "coordinator", display_name="协调员")
    app.session_state["import_file"] = ("另一个文件.csv", _register(TYPO_FIXED, serial=False))
    app.run()
    assert not app.exception
    assert "改过内容的信" in [h.value for h in app.subheader]
    [table] = [d.value for d in app.dataframe if "已导入的信访件" in d.value.columns]
    assert list(table["行"]) == [3] and list(table["已导入的信访件"]) == [number]
    assert list(table["更新原信"]) == [False] and "来自另一个文件" in table["说明"][0]  # listed, not updated unasked
