"""Property-based tests (hypothesis): importer, address resolver and plan reader never crash and never lose data.

The suite runs a few hundred examples each (``XIAFANG_FUZZ_EXAMPLES``); ``benchmarks/security_report.py`` runs 10,000.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import fuzz

N = int(os.environ.get("XIAFANG_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=N, deadline=None, report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip


@FUZZ
@given(fuzz.register_rows())
def test_register_rows(table) -> None:
    fuzz.check_register(*table)


@pytest.fixture(scope="module")
def import_engine(tmp_path_factory):
    from planner.store.database import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'import.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@settings(FUZZ, max_examples=max(10, N // 10))
@given(table=fuzz.register_rows())
def test_register_import_keeps_every_row(import_engine, table) -> None:
    fuzz.check_import(import_engine, *table)


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([".csv", ".xlsx", ".xls", ".txt", ""]))
def test_register_arbitrary_bytes(data: bytes, suffix: str) -> None:
    fuzz.check_register_bytes(data, suffix)


@FUZZ
@given(st.one_of(fuzz.addresses(), st.text(max_size=60)))
def test_resolve_any_text(text: str) -> None:
    fuzz.check_resolve(text)


@FUZZ
@given(fuzz.mutated_plans())
def test_plan_mutations(doc: dict) -> None:
    fuzz.check_plan(doc)


@FUZZ
@given(fuzz.json_values)
def test_plan_arbitrary_json(doc) -> None:
    fuzz.check_plan(doc)


def test_checks_can_fail() -> None:
    """The plan check notices a reader that drops data, and the valid plan passes."""
    assert fuzz.check_plan(fuzz.base_plan()) == "read"
    assert fuzz.check_resolve("平和县山格镇隆庆村") == "village"
    assert (
        fuzz.check_register(
            list(fuzz.REGISTER_HEADERS),
            [["ZZ-1", "2026-11-01", "", "来信", "", "", "", "", "村集体收取保证金", "", "", "平和县", "", "", ""]],
        )
        == "read"
    )
