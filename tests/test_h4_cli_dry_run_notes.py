"""python -m planner import --dry-run says what the import will do with a register's numbers, as the 导入 page's
preview does: a letter imported under a 自编 number whose 编号 was filled in later takes that 编号 (walk H1), and
rows numbered twice or entered twice are named with the file. Before, the dry run read a fully numbered register
without the letters already imported, so it said nothing of the renumbering, and it printed none of the notes."""

from __future__ import annotations

import pytest

from planner.cli import main
from tests.test_h1_number_filled_in_later import FILE, LETTERS, _filled, _numbers, _register


@pytest.fixture
def cli(engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:00")
    first = tmp_path / FILE
    first.write_bytes(_register(LETTERS))
    assert main(["import", str(first)]) == 0
    return tmp_path


def test_the_dry_run_names_the_letter_that_takes_the_number_filled_in_later(engine, cli, capsys) -> None:
    before = _numbers(engine)
    signed = next(n for n in before if n.startswith("自编-20261105-"))
    again = cli / "补编号" / FILE
    again.parent.mkdir()
    again.write_bytes(_register(_filled(r2="LH-002", r3="LH-003")))
    capsys.readouterr()
    assert main(["import", "--dry-run", str(again)]) == 0
    out = capsys.readouterr().out
    assert "2 行的编号为新填写" in out and f"第 3 行 {signed} → LH-002" in out
    assert _numbers(engine) == before  # nothing written

    assert main(["import", str(again)]) == 0
    out = capsys.readouterr().out
    assert "其中 2 件原按空编号自编" in out and f"第 3 行 {signed} → LH-002" in out
    assert sorted(_numbers(engine)) == ["LH-001", "LH-002", "LH-003"]


def test_the_dry_run_names_rows_numbered_twice(engine, cli, capsys) -> None:
    twice = cli / "两行同号.csv"
    twice.write_bytes(_register([*_filled(r2="LH-002", r3="LH-003"),
                                 ("4", "LH-002", "2026-11-20", "黄明", "反映港尾镇卫生院药品回扣问题。")]))
    capsys.readouterr()
    assert main(["import", "--dry-run", str(twice)]) == 0
    out = capsys.readouterr().out
    assert "两行同号.csv：" in out and "编号都是 LH-002（编号重复）" in out
