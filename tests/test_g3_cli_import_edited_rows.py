"""python -m planner import: rows of a register without numbers that may be letters imported before with other
words are listed (both numbers, both texts) and --update-edited updates the letter with its row, as the 导入 page's
更新原信 does. Before, they came in as new letters without a word."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from planner.cli import main
from planner.store.database import session_scope
from planner.store.models import CaseRow
from tests.test_f2_edited_letters_reimport import LETTERS, ROAD, _edited, _register

REWRITTEN = "村里修水泥路的工程款被村主任截留，要求公开工程账目，追回被截留的款项。"


@pytest.fixture
def cli(engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:00")
    first, again = tmp_path / "11月来信.xlsx", tmp_path / "改后" / "11月来信.xlsx"
    first.write_bytes(_register(LETTERS))
    again.parent.mkdir()
    again.write_bytes(_register(_edited(LETTERS, {0: REWRITTEN})))
    assert main(["import", str(first)]) == 0
    return str(again)


def _cases(engine) -> dict[str, str]:
    with session_scope(engine) as s:
        return dict(s.execute(select(CaseRow.case_no, CaseRow.content)).all())


def _road_no(engine) -> str:
    return next(no for no, content in _cases(engine).items() if content == ROAD)


def test_an_uncertain_row_is_listed_with_both_numbers_and_texts(engine, cli, capsys) -> None:
    capsys.readouterr()
    road = _road_no(engine)
    assert main(["import", "--dry-run", cli]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "可能是已导入的信访件" in x)
    assert "第 3 行" in line and road in line and "将按新信导入" in line
    own = line.split("本行编号 ", 1)[1].split("，", 1)[0]
    assert own.startswith("自编-") and own != road and own not in _cases(engine)
    assert "原信内容：村里修水泥路的工程款被村主任截留，路修了一半" in out
    assert "本行内容：村里修水泥路的工程款被村主任截留，要求公开工程账目" in out
    assert "--update-edited" in out
    assert "林阿水" not in out and "13905961234" not in out  # identities masked, as on the page

    assert main(["import", cli]) == 0  # not chosen: a new letter, and said so
    out = capsys.readouterr().out
    assert "新增 1，更新 0，未变 4" in out and "已按新信导入" in out
    assert len(_cases(engine)) == 6


def test_update_edited_updates_the_earlier_letter(engine, cli, capsys) -> None:
    road = _road_no(engine)
    assert main(["import", "--json", "--update-edited", road, cli]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["imported"], result["updated"], result["unchanged"]) == (0, 1, 4)
    [listed] = result["possibly_edited"]
    assert listed["earlier_case_no"] == road and listed["updates_earlier"] and listed["row"] == 3
    cases = _cases(engine)
    assert len(cases) == 5 and cases[road] == REWRITTEN


def test_update_edited_by_the_rows_own_number_too(engine, cli, capsys) -> None:
    capsys.readouterr()
    road = _road_no(engine)
    main(["import", "--dry-run", cli])
    line = next(x for x in capsys.readouterr().out.splitlines() if "可能是已导入的信访件" in x)
    own = line.split("本行编号 ", 1)[1].split("，", 1)[0]
    assert main(["import", "--update-edited", own, cli]) == 0
    assert "已更新原信" in capsys.readouterr().out
    assert _cases(engine)[road] == REWRITTEN and len(_cases(engine)) == 5


def test_a_number_not_listed_is_refused_naming_those_that_are(engine, cli, capsys) -> None:
    road = _road_no(engine)
    other = next(no for no in _cases(engine) if no != road)
    assert main(["import", "--update-edited", other, cli]) == 2
    err = capsys.readouterr().err
    assert other in err and road in err and "--dry-run" in err
    assert len(_cases(engine)) == 5  # nothing written
