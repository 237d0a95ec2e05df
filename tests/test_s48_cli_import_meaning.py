"""python -m planner import encodes the meaning of the letters it wrote, as the app's 导入登记表 does (stop 48): before,
a register imported by command line left every letter without a meaning vector, and the first 关联分析 in the app
spent about 0.03 s a letter on them. Letters already in the database keep theirs; a re-import encodes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from planner.analysis import semantic
from planner.cli import main
from planner.intake.imported_meaning import written_texts
from planner.store import vectors
from planner.store.database import session_scope
from planner.store.models import CaseRow, TextVectorRow

pytestmark = pytest.mark.skipif(not semantic.available(), reason="the meaning model has no wheel for this machine")

REGISTER = "编号,收件日期,问题发生地,信访人,反映内容\n" + (
    "S48-1,2026-10-05,漳浦县官浔镇,张四,村干部侵占征地补偿款，至今未公开发放明细\n"
    "S48-2,2026-10-06,诏安县太平镇,李五,林业站收取桉树砍伐保证金，砍完不退\n"
    "S48-3,2026-10-07,华安县仙都镇,陈六,仙都镇卫生院收费不开票据\n"
)


def _numbers(engine) -> list[str]:
    with session_scope(engine) as s:
        return list(s.scalars(select(CaseRow.case_no)))


def _missing(engine) -> int:
    with session_scope(engine) as s:
        return vectors.missing(s, written_texts(s, _numbers(engine)))


def test_the_command_line_import_leaves_no_letter_without_its_meaning(engine, monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:00")
    path = tmp_path / "登记表.csv"
    path.write_text(REGISTER, encoding="utf-8")
    assert main(["import", str(path)]) == 0
    err = capsys.readouterr().err
    assert sorted(_numbers(engine)) == ["S48-1", "S48-2", "S48-3"]
    assert _missing(engine) == 0
    assert "正在理解 3 件新信件的内容" in err and "已完成 3 / 3 件" in err
    with session_scope(engine) as s:
        stored = s.scalar(select(func.count()).select_from(TextVectorRow))

    assert main(["import", str(path)]) == 0  # the same register again: nothing new to encode
    assert "正在理解" not in capsys.readouterr().err
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(TextVectorRow)) == stored
