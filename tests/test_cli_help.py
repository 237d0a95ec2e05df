"""``python -m planner --help`` and every subcommand's help speak Chinese, argparse's own headings included.

Walks the parser that ``planner.cli.build_parser`` builds (in-process, every level: ``users create`` ...) and
formats each help page as ``-h`` would print it.
"""

from __future__ import annotations

import argparse
import re

import pytest

from planner.cli import _columns, _wrap, build_parser, chinese_usage_error, main

CJK = re.compile(r"[\u4e00-\u9fff]")
#: argparse's English headings and its own ``-h`` help (Python 3.10+ says "options", older "optional arguments").
ENGLISH = ("usage:", "positional arguments", "optional arguments", "options:", "show this help message and exit")


def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """``(command words, parser)`` for the parser and every subcommand below it."""
    yield path, parser
    for action in parser._actions:  # argparse offers no public walk of its subparsers
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


PARSERS = dict(_parsers(build_parser()))


def test_the_walk_finds_every_command_and_action() -> None:
    names = {" ".join(p) for p in PARSERS}
    assert {"", "plan", "select", "export", "users", "users create", "users list", "gazetteer import"} <= names
    assert len(PARSERS) >= 20


@pytest.mark.parametrize("words", sorted(PARSERS), ids=lambda w: " ".join(w) or "python -m planner")
def test_help_is_chinese(words: tuple[str, ...]) -> None:
    parser = PARSERS[words]
    text = parser.format_help()
    assert text.startswith("用法：") and "选项：" in text and "显示本帮助并退出" in text
    assert "选项:" not in text and "位置参数:" not in text
    assert not [e for e in ENGLISH if e in text.lower()], text
    assert parser.description and CJK.search(parser.description), f"{parser.prog}: no Chinese description"
    english = [
        a.option_strings[-1] if a.option_strings else a.dest
        for a in parser._actions
        if a.help is not argparse.SUPPRESS and not CJK.search(a.help or "")
    ]
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    english += [c.dest for s in subcommands for c in s._choices_actions if not CJK.search(c.help or "")]
    assert not english, f"{parser.prog}: help without Chinese for {english}"


def test_help_keeps_option_and_command_names(capsys: pytest.CaptureFixture[str]) -> None:
    """Through ``main`` as a person types it: the names and examples one types stay as they are."""
    with pytest.raises(SystemExit) as exit_:
        main(["users", "create", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "用法：python -m planner users create" in out and "--teams T1,T2" in out and "--role" in out
    assert "admin（管理员）" in out or "admin（" in out


def test_usage_errors_are_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["plan", "--days", "five"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：python -m planner plan")
    assert "python -m planner plan：错误：" in err and "error:" not in err
    with pytest.raises(SystemExit):
        main(["select", "--today", "7 Dec"])
    assert "日期应写作 YYYY-MM-DD" in capsys.readouterr().err


def test_chinese_help_fits_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """argparse wraps at spaces and counts characters; Chinese help is wrapped by columns (a character takes two)."""
    monkeypatch.setenv("COLUMNS", "80")
    too_wide = []
    for parser in dict(_parsers(build_parser())).values():
        body = parser.format_help().split("\n\n", 1)[1]  # the usage line is argparse's own layout
        too_wide += [line for line in body.splitlines() if _columns(line) > 80]
    assert not too_wide, "\n".join(too_wide)


def test_wrap_keeps_words_and_punctuation() -> None:
    text = "以该账户身份导出（密码放在 XIAFANG_PASSWORD；须同时给 --db），只导出其所在检查组的线路。"
    lines = _wrap(text, 20)
    assert all(_columns(line) <= 20 for line in lines)
    assert "XIAFANG_PASSWORD；" in "".join(lines) and not any(line.startswith(("，", "。", "；")) for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize(("message", "chinese"), [
    ("the following arguments are required: --out, --format", "缺少必填参数：--out, --format"),
    ("unrecognized arguments: --tems T1", "无法识别的参数：--tems T1"),
    ("argument --format: invalid choice: 'doc' (choose from 'pdf', 'zip')",
     "参数 --format：无效取值 'doc'（可选：'pdf', 'zip'）"),
    ("argument --days: invalid int value: 'five'", "参数 --days：应为整数，收到 'five'"),
    ("argument --out: expected one argument", "参数 --out 后面须跟一个值"),
    ("argument --today: 日期应写作 YYYY-MM-DD", "参数 --today：日期应写作 YYYY-MM-DD"),
    ("something argparse may say one day", "something argparse may say one day"),
])
def test_argparse_messages_in_chinese(message: str, chinese: str) -> None:
    assert chinese_usage_error(message) == chinese
