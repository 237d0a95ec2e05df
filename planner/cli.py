"""Batch face of the library: ``python -m planner <subcommand>`` for coordinators, scripts and CI."""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import re
import sys
import unicodedata
from collections.abc import Sequence

from planner import commands
from planner.errors import USER_ERRORS

#: argparse's own usage-error messages (Python 3.11 wording) in Chinese; any other message is shown as it is.
_ARGPARSE_ERRORS = (
    (r"the following arguments are required: (.*)", r"缺少必填参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)", r"参数 \1：无效取值 \2（可选：\3）"),
    (r"argument (\S+): invalid int value: (.*)", r"参数 \1：应为整数，收到 \2"),
    (r"argument (\S+): invalid float value: (.*)", r"参数 \1：应为数字，收到 \2"),
    (r"argument (\S+): invalid \S+ value: (.*)", r"参数 \1：取值无效 \2"),
    (r"argument (\S+): expected one argument", r"参数 \1 后面须跟一个值"),
    (r"argument (\S+): expected at most one argument", r"参数 \1 后面最多跟一个值"),
    (r"argument (\S+): expected at least one argument", r"参数 \1 后面至少跟一个值"),
    (r"argument (\S+): ignored explicit argument (.*)", r"参数 \1 不接受取值，收到 \2"),
    (r"ambiguous option: (\S+) could match (.*)", r"选项 \1 不明确，可能是：\2"),
    (r"argument (\S+): (.*)", r"参数 \1：\2"),
)


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout with the usage line headed in Chinese (用法：)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def add_argument(self, action):
        # argparse measures an invocation (a metavar such as 命令) in characters; a wide one takes two columns.
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            width = _columns(self._format_action_invocation(action)) + self._current_indent
            self._action_max_length = max(self._action_max_length, width)

    def _format_action(self, action):
        # ... and pads it in characters too: take the surplus spaces off.
        text = super()._format_action(action)
        head = self._format_action_invocation(action)
        extra = _columns(head) - len(head)
        if extra and text.lstrip().startswith(head + " " * (extra + 2)):
            text = text.replace(head + " " * extra, head, 1)
        return text

    def start_section(self, heading):
        # argparse writes "heading:" with an ASCII colon; a Chinese heading takes the full-width one, as 用法：does.
        super().start_section(heading)
        self._current_section.heading = None if heading is None else f"{heading}\0"

    def format_help(self):
        return super().format_help().replace("\0:", "：")

    def _split_lines(self, text, width):
        # argparse wraps at spaces and counts characters; Chinese has no spaces and each character takes two columns.
        return _wrap(self._whitespace_matcher.sub(" ", text).strip(), width)

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in _wrap(self._whitespace_matcher.sub(" ", text).strip(), width))


#: A wide character alone, or an ASCII word with its trailing spaces; Chinese punctuation sticks to what precedes it.
_TOKEN = re.compile(r"(?:[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+)"
                    r"[，。；：、）》”！？]*\s*")


def _columns(text: str) -> int:
    """Terminal columns ``text`` takes: two for a wide (Chinese) character, one for others."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns (a wide character counts two)."""
    lines, line, used = [], "", 0
    for token in _TOKEN.findall(text):
        size = _columns(token.rstrip())
        if line and used + size > width:
            lines.append(line.rstrip())
            line, used = "", 0
        line += token
        used += size + len(token) - len(token.rstrip())
    return [*lines, line.rstrip()] if line.strip() else lines


class ChineseArgumentParser(argparse.ArgumentParser):
    """An argument parser whose own headings, ``-h/--help`` and usage errors read in Chinese.

    Subcommand parsers inherit the class (``add_subparsers`` uses the parent's type), so every level speaks Chinese
    without touching argparse's global translations.
    """

    def __init__(self, *args, add_help: bool = True, **kwargs) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str):
        """Print the usage and the message in Chinese, then exit with status 2 (argparse's convention)."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{chinese_usage_error(message)}\n")


def chinese_usage_error(message: str) -> str:
    """argparse's English usage-error ``message`` in Chinese (unknown wording is returned unchanged)."""
    for pattern, replacement in _ARGPARSE_ERRORS:
        if re.fullmatch(pattern, message, flags=re.DOTALL):
            return re.sub(pattern, replacement, message, count=1, flags=re.DOTALL)
    return message


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand found in ``planner.commands``.

    Returns
    -------
    argparse.ArgumentParser
        The top-level parser; each subcommand sets ``func(args) -> int``.
    """
    parser = ChineseArgumentParser(
        prog="python -m planner",
        description="漳州带信下访工作的命令行工具：导入登记表、解析地址、关联分析、选件、路线规划、导出，"
        "以及用户、备份和统计等管理任务。用 python -m planner 命令 -h 查看各命令的说明。",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="在标准错误输出中显示运行进度")
    sub = parser.add_subparsers(dest="command", metavar="命令",
                                help="下列命令之一；python -m planner 命令 -h 查看其说明")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"planner.commands.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the process exit code.

    Parameters
    ----------
    argv
        Arguments without the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        0 on success, 2 for a usage or input error, 1 for other failures.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    importlib.import_module("planner.office.logs").install()  # mask phone/ID numbers in every log line
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        # Whatever the command writes to 审计日志 names the operating-system account that ran it (walk W20).
        from planner.commands.restore import os_user
        from planner.office.audit import run_by

        with run_by(os_user()):
            return int(args.func(args) or 0)
    except USER_ERRORS as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        # The system's own text (strerror) is English on most servers: say it in Chinese.
        what = ("找不到文件" if isinstance(exc, FileNotFoundError)
                else "这是文件夹，不是文件" if isinstance(exc, IsADirectoryError) else "没有读写权限")
        print(f"错误：{what}：{exc.filename!r}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
