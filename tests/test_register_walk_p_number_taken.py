"""A second register whose numbers another register already used (walk P): a row that is plainly another letter
(another received day, petitioner and content) under a number in use is rejected, not written over that letter;
a row that changes one or two of these is an edit of it, as before."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.intake.register import import_register, read_register, rejected_rows
from planner.intake.same_letter import known_letters
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 7)
HEAD = "信访编号,收信日期,信访人,联系电话,反映地址,反映内容"
FIRST = [
    "ZZ2026-001,2026-10-08,林阿水,13905961111,平和县坂仔镇心田村,心田村村干部收取桉树砍伐保证金每亩三百元不退。",
    "ZZ2026-002,2026-10-12,陈秀英,13905962222,南靖县书洋镇田中村,田中村村道硬化偷工减料，半年就开裂。",
    "ZZ2026-003,2026-10-15,黄志明,13905963333,漳浦县旧镇镇,旧镇镇低保评定优亲厚友。",
]


def _csv(rows) -> bytes:
    return ("\n".join([HEAD, *rows]) + "\n").encode("utf-8")


def test_another_letter_under_a_number_in_use_is_rejected_and_the_letter_kept(engine) -> None:
    import_register(engine, _csv(FIRST), filename="first.csv", today=TODAY)
    second = [
        # Another letter altogether under 001: another day, writer and matter (of no written county: one that names
        # another county than the stored letter's is that county's own letter, kept beside it — test_x7_county_numbers).
        "ZZ2026-001,2026-11-23,郑伟强,13905969999,西埔镇,西埔镇海堤工程款被挪用，海堤至今没修。",
        # 002 corrected: the same letter, its content completed (an edit).
        "ZZ2026-002,2026-10-12,陈秀英,13905962222,南靖县书洋镇田中村,田中村村道硬化偷工减料，半年就开裂，村干部不管。",
        # 003 with another writer's phone only and the same words: an edit, not another letter.
        "ZZ2026-003,2026-10-15,黄志明,13905960000,漳浦县旧镇镇,旧镇镇低保评定优亲厚友。",
    ]
    with session_scope(engine) as s:
        preview = read_register(_csv(second), filename="second.csv", today=TODAY, known_letters=known_letters(s))
    taken = [r for r in preview.rows if not r.ok]
    assert [r.row for r in taken] == [2]  # the preview already says so, before anything is written
    assert "编号 ZZ2026-001 已是平和县的信访件（2026-10-08 收件）" in taken[0].issues[-1].message

    result = import_register(engine, _csv(second), filename="second.csv", today=TODAY)
    assert (result.imported, result.updated, result.rejected) == (0, 2, 1)
    with session_scope(engine) as s:
        first = s.scalar(select(CaseRow).where(CaseRow.case_no == "ZZ2026-001"))
        assert first.received_date == dt.date(2026, 10, 8) and "桉树" in first.content  # not written over
        reasons = [r["原因"] for r in rejected_rows(s, result.batch_id)]
        assert len(reasons) == 1 and "以免覆盖该信" in reasons[0]
        assert "村干部不管" in s.scalar(select(CaseRow.content).where(CaseRow.case_no == "ZZ2026-002"))


def test_the_same_register_again_is_unchanged(engine) -> None:
    import_register(engine, _csv(FIRST), filename="first.csv", today=TODAY)
    again = import_register(engine, _csv(FIRST), filename="first.csv", today=TODAY)
    assert (again.imported, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 0)
