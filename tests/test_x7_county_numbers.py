"""Two county offices both numbering from 001 (walk W33): a row whose 编号 a stored letter of another county has is
that county's own letter, kept beside the stored one under its number scoped by its county (2026-010(平和县)), never
written over it; a row of no known county that is plainly another matter is refused, naming the letter it would
have replaced; a correction of the same letter still updates it, and a register imported again changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from sqlalchemy import select

from planner.intake.register import import_register, read_register, rejected_rows
from planner.intake.register_sheets import import_workbook, read_workbook
from planner.intake.same_letter import known_letters
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 7)
HEAD = "编号,收件日期,信访人,地址,反映内容"
NANJING = "2026-010,2026-11-20,匿名,南靖县金山镇,反映金山镇某村支书侵占集体山林。"
PINGHE = "2026-010,2026-11-25,匿名,平和县霞寨镇,反映霞寨镇卫生院药品回扣。"
F_HEAD = "序号,编号,收件日期,来信人,反映地址,主要内容"
F_ROWS = [
    "1,2026-001,2026年12月1日,甲,南靖县书洋镇书洋村,反映书洋村土楼景区门票分成不公开。",
    "2,2026-002,2026年12月2日,乙,南靖县山城镇,反映山城镇某站所乱收费。",
]
G_ROWS = [
    "1,2026-001,2026年12月1日,丙,平和县小溪镇城东社区,反映城东社区旧改补偿不到位。",
    "2,2026-002,2026年12月3日,丁,平和县坂仔镇心田村,反映心田村蜜柚补贴被截留。",
]


def _csv(*rows: str, head: str = HEAD) -> bytes:
    return ("\n".join([head, *rows]) + "\n").encode("utf-8")


def _cases(engine) -> dict[str, tuple[str, str, str]]:
    with session_scope(engine) as s:
        return {
            no: (str(day), county, content)
            for no, day, county, content in s.execute(
                select(CaseRow.case_no, CaseRow.received_date, CaseRow.county, CaseRow.content)
            )
        }


def _preview(engine, data: bytes, filename: str):
    with session_scope(engine) as s:
        return read_register(data, filename=filename, today=TODAY, known_letters=known_letters(s))


def _counts(result) -> tuple[int, int, int, int]:
    return result.imported, result.updated, result.unchanged, result.rejected


def test_another_countys_letter_under_the_same_number_is_kept_beside_it(engine) -> None:
    assert _counts(import_register(engine, _csv(NANJING), filename="M1_南靖县.csv", today=TODAY)) == (1, 0, 0, 0)
    preview = _preview(engine, _csv(PINGHE), "M2_平和县.csv")
    assert preview.valid_rows == 1
    said = " ".join(i.message for i in preview.issues)
    assert "编号 2026-010 已是南靖县的信访件（2026-11-20 收件）" in said and "2026-010(平和县)" in said

    assert _counts(import_register(engine, _csv(PINGHE), filename="M2_平和县.csv", today=TODAY)) == (1, 0, 0, 0)
    cases = _cases(engine)
    assert cases["2026-010"][:2] == ("2026-11-20", "南靖县") and "侵占集体山林" in cases["2026-010"][2]
    assert cases["2026-010(平和县)"][:2] == ("2026-11-25", "平和县") and "回扣" in cases["2026-010(平和县)"][2]

    # Either register again: nothing new, nothing changed, nothing refused.
    assert _counts(import_register(engine, _csv(PINGHE), filename="M2_平和县.csv", today=TODAY)) == (0, 0, 1, 0)
    assert _counts(import_register(engine, _csv(NANJING), filename="M1_南靖县.csv", today=TODAY)) == (0, 0, 1, 0)
    assert len(_cases(engine)) == 2


def test_named_letters_of_two_counties_on_one_day_are_both_kept(engine) -> None:
    import_register(engine, _csv(*F_ROWS, head=F_HEAD), filename="F_南靖县2026年12月.csv", today=TODAY)
    g = _csv(*G_ROWS, head=F_HEAD)
    assert _counts(import_register(engine, g, filename="G_平和县2026年12月.csv", today=TODAY)) == (2, 0, 0, 0)
    cases = _cases(engine)
    assert "门票分成" in cases["2026-001"][2] and "旧改补偿" in cases["2026-001(平和县)"][2]
    assert "乱收费" in cases["2026-002"][2] and "蜜柚" in cases["2026-002(平和县)"][2]
    # Again: the 平和 letters are found under their numbers (not refused as the same letter under another number).
    assert _counts(import_register(engine, g, filename="G_平和县2026年12月.csv", today=TODAY)) == (0, 0, 2, 0)
    # A correction of the 平和 letter (same county, same matter) updates it.
    fixed = _csv(G_ROWS[0].replace("补偿不到位", "补偿款至今不到位"), G_ROWS[1], head=F_HEAD)
    assert _counts(import_register(engine, fixed, filename="G_平和县2026年12月.csv", today=TODAY)) == (0, 1, 1, 0)
    assert "补偿款至今不到位" in _cases(engine)["2026-001(平和县)"][2]
    assert "门票分成" in _cases(engine)["2026-001"][2]


def _book() -> bytes:
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "东山县"
    first.append(HEAD.split(","))
    first.append(["2026-050", "2026-11-21", "匿名", "康美镇", "反映康美镇渔排清理补偿款被截留。"])
    second = wb.create_sheet("云霄县")
    second.append(HEAD.split(","))
    second.append(["2026-050", "2026-11-22", "匿名", "马铺乡", "反映马铺乡林权证办理收费。"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_workbook_of_two_counties_with_one_number_keeps_both_letters(engine) -> None:
    with session_scope(engine) as s:
        book = read_workbook(_book(), filename="O_两县同号.xlsx", today=TODAY, known_letters=known_letters(s))
    assert book.valid_rows == 2
    said = " ".join(i.message for i in book.sheet("云霄县").issues)
    assert "编号 2026-050 已是东山县的信访件" in said and "2026-050(云霄县)" in said

    result = import_workbook(engine, _book(), filename="O_两县同号.xlsx", today=TODAY)
    assert (result.as_dict()["imported"], result.as_dict()["updated"]) == (2, 0)
    cases = _cases(engine)
    assert "渔排" in cases["2026-050"][2] and "林权证" in cases["2026-050(云霄县)"][2]
    again = import_workbook(engine, _book(), filename="O_两县同号.xlsx", today=TODAY).as_dict()
    assert (again["imported"], again["updated"], again["unchanged"], again["rejected"]) == (0, 0, 2, 0)


def test_another_matter_of_no_known_county_is_refused_naming_the_letter(engine) -> None:
    import_register(engine, _csv(NANJING), filename="M1_南靖县.csv", today=TODAY)
    other = "2026-010,2026-11-25,匿名,霞寨镇,反映霞寨镇卫生院药品回扣。"  # no county written, none in the file name
    preview = _preview(engine, _csv(other), "登记表.csv")
    assert preview.rejected_rows == 1
    reason = next(i.message for i in preview.rows[0].issues if i.level == "error")
    assert reason.startswith("编号 2026-010 已是南靖县的信访件（2026-11-20 收件）") and "以免覆盖该信" in reason

    result = import_register(engine, _csv(other), filename="登记表.csv", today=TODAY)
    assert _counts(result) == (0, 0, 0, 1)
    assert "侵占集体山林" in _cases(engine)["2026-010"][2]
    with session_scope(engine) as s:
        assert "以免覆盖该信" in rejected_rows(s, result.batch_id)[0]["原因"]


def test_a_correction_of_the_same_letter_still_updates_it(engine) -> None:
    import_register(engine, _csv(NANJING), filename="M1_南靖县.csv", today=TODAY)
    fixed = NANJING.replace("2026-11-20", "2026-11-21").replace("侵占集体山林", "侵占集体山林二百亩")
    assert _counts(import_register(engine, _csv(fixed), filename="M1_南靖县.csv", today=TODAY)) == (0, 1, 0, 0)
    assert _cases(engine) == {"2026-010": ("2026-11-21", "南靖县", "反映金山镇某村支书侵占集体山林二百亩。")}
    # The same corrected letter from a file that names no county: still this letter.
    assert _counts(import_register(engine, _csv(fixed), filename="登记表.csv", today=TODAY)) == (0, 0, 1, 0)
