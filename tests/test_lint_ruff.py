"""The code stays lint-clean: ``ruff check .`` from the repository root (ruff pinned in requirements-dev.txt).

92 findings had piled up in older files because nothing ran ruff; this test runs it. It skips only on a machine
without ruff that is not CI: with ``CI`` set, a missing ruff is a failure, not a skip.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"


def _need_ruff() -> None:
    if importlib.util.find_spec("ruff") is not None:
        return
    if os.environ.get("CI"):
        pytest.fail("ruff is not installed but CI is set: pip install -r requirements-dev.txt")
    pytest.skip("ruff is not installed (pip install -r requirements-dev.txt); under CI this test fails instead")


def ruff_findings(folder: Path) -> list[str]:
    """``path:line:col: CODE message`` for each finding of ``ruff check`` in ``folder`` with the project's rules."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", ".", "--config", str(CONFIG), "--no-cache",
         "--output-format", "concise", "--quiet"],
        cwd=folder, capture_output=True, text=True, timeout=300, check=False,
    )
    if done.returncode not in (0, 1):  # 2: ruff itself failed (bad config, bad option)
        raise AssertionError(f"ruff failed (exit {done.returncode}): {done.stderr or done.stdout}")
    findings = [line for line in done.stdout.splitlines() if re.match(r"^\S.*:\d+:\d+: ", line)]
    if done.returncode == 1 and not findings:
        raise AssertionError(f"ruff reported findings this test cannot read:\n{done.stdout}{done.stderr}")
    return findings


def test_ruff_finds_nothing_in_the_repository() -> None:
    _need_ruff()
    findings = ruff_findings(ROOT)
    assert not findings, f"ruff check . found {len(findings)}:\n" + "\n".join(findings)


def test_the_check_reports_a_finding_with_its_place(tmp_path: Path) -> None:
    """The check is not vacuous: a file breaking the project's rules is listed by path, line and rule."""
    _need_ruff()
    (tmp_path / "clean.py").write_text('"""Fine."""\n\nVALUE = 1\n', encoding="utf-8")
    (tmp_path / "bad.py").write_text('"""Bad."""\n\nimport os\n\nTEXT = "' + "x" * 130 + '"\n', encoding="utf-8")
    findings = ruff_findings(tmp_path)
    assert any(f.startswith("bad.py:3:") and "F401" in f for f in findings), findings
    assert any(f.startswith("bad.py:5:") and "E501" in f for f in findings), findings
    assert not [f for f in findings if f.startswith("clean.py")], findings


def test_the_installed_ruff_is_the_pinned_one() -> None:
    """Each ruff release adds rules and changes fixes: the check means the same everywhere only with one version."""
    pins = re.findall(r"^ruff==(\S+)", (ROOT / "requirements-dev.txt").read_text(encoding="utf-8"), re.MULTILINE)
    assert len(pins) == 1, "requirements-dev.txt must pin ruff exactly once (ruff==X.Y.Z)"
    _need_ruff()
    assert importlib.metadata.version("ruff") == pins[0], "pip install -r requirements-dev.txt"
