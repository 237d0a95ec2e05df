"""Batch face of the library: ``python -m planner <subcommand>`` for coordinators, scripts and CI."""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

from planner import commands
from planner.errors import USER_ERRORS


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand found in ``planner.commands``.

    Returns
    -------
    argparse.ArgumentParser
        The top-level parser; each subcommand sets ``func(args) -> int``.
    """
    parser = argparse.ArgumentParser(
        prog="python -m planner",
        description="下访 Xiafang: 带信下访 planning for Zhangzhou (import, geocode, cluster, select, plan, export).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
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
