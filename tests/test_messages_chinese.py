"""Every error message a page or the CLI can show is Chinese (issues 14 and 17): no English-only user errors.

Walks the library's and the pages' source (AST) for ``raise <UserError>("...")`` — every class of
``planner.errors.USER_ERRORS`` and its subclasses, wherever they are defined — and fails on a string literal or
f-string with no CJK character.
Messages built elsewhere (``raise ConflictError(conflict_message(...))``) are checked where they are built.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
#: The user errors by name: the bases pages and the CLI catch (``USER_ERRORS``); subclasses are found below.
BASES = {"XiafangError", "GeodataError"}

#: Messages no user reads, with why. Keep it short: a message a page or the CLI can show is not allowed here.
#: Empty today: every user error in the library has a Chinese message (path -> reason, if one is ever needed).
ALLOWED: dict[str, str] = {}


def _sources() -> list[Path]:
    return [p for folder in ("planner", "geodata", "pages") for p in sorted((ROOT / folder).rglob("*.py"))
            if "migrations" not in p.parts]


def _trees() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in _sources()}


def user_error_names(trees: dict[Path, ast.Module]) -> set[str]:
    """Names of every class that subclasses a user error, to a fixed point (``AuthenticationError`` ...)."""
    names = set(BASES)
    classes = [n for t in trees.values() for n in ast.walk(t) if isinstance(n, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for c in classes:
            bases = {b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else ""
                     for b in c.bases}
            if c.name not in names and bases & names:
                names.add(c.name)
                grew = True
    return names


def _literal(node: ast.expr) -> str | None:
    """The text of a string literal, f-string or concatenation of them (placeholders as ``{}``); None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        return None if left is None and right is None else (left or "") + (right or "")
    return None


def english_messages(trees: dict[Path, ast.Module], names: set[str]) -> list[str]:
    """``path:line: Error 'message'`` for each user error raised with a literal message that has no CJK."""
    found = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            text = _literal(node.exc.args[0]) if name in names else None
            if text is not None and not CJK.search(text):
                found.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}: {name} {text!r}")
    return found


def test_the_walk_finds_user_errors_and_their_subclasses() -> None:
    names = user_error_names(_trees())
    assert {"InputError", "NotFoundError", "ConflictError", "PermissionDenied", "InfeasibleError"} <= names
    assert {"AuthenticationError", "UnknownPlaceError", "BadCoordinateError"} <= names


@pytest.mark.parametrize(("source", "flagged"), [
    ('raise InputError(f"days: expected 1..60, got {days!r}")', True),
    ('raise errors.NotFoundError("plan " + str(n) + " does not exist")', True),
    ('raise InputError(f"工作日数应为 1 到 60 天，收到 {days!r}")', False),
    ('raise ValueError("programming error, not shown to users")', False),
    ('raise InputError(message)', False),
])
def test_the_walk_flags_english_only_messages(source: str, flagged: bool) -> None:
    tree = {ROOT / "planner" / "x.py": ast.parse(source)}
    assert bool(english_messages(tree, user_error_names(_trees()))) is flagged


def test_every_user_error_message_is_chinese() -> None:
    trees = _trees()
    bad = [m for m in english_messages(trees, user_error_names(trees)) if m.split(":", 1)[0] not in ALLOWED]
    assert not bad, "user errors (shown by pages and the CLI) need Chinese messages:\n" + "\n".join(bad)


def test_the_cli_says_error_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI's prefix and the system's file errors (English ``strerror`` on most servers) read in Chinese."""
    from planner import cli

    assert cli.main(["restore", str(tmp_path / "无此备份.zip")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：找不到文件") and "无此备份.zip" in err
    assert "error:" not in err.lower() and "No such file" not in err
