"""The repeat chains of a generated register (the demo register, about a third of its writers given 2 to 5 letters:
re-sends of one matter and other matters, some without the ID number) are the same whichever way they are asked
for: every writer at once (the page-wide :func:`planner.store.cases.chain_mates`, which reads every writer's letters
in a few queries), one writer at a time, or one letter at a time (:func:`planner.store.cases._chain_ids`)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sqlalchemy import select

from planner.intake.demo import generate_letters, register_xlsx_bytes
from planner.intake.register import import_register
from planner.store.cases import _chain_ids, chain_mates
from planner.store.chains import split_by_matter, writer_groups
from planner.store.database import session_scope
from planner.store.models import CaseRow

_BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "chains.py"


def _repeat_writers():
    spec = importlib.util.spec_from_file_location("h9_bench_chains", _BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.repeat_writers


def test_every_way_of_asking_gives_the_same_chains(engine) -> None:
    letters = _repeat_writers()(generate_letters(5, 120), share=0.3)
    import_register(engine, register_xlsx_bytes(letters), filename="h9.xlsx", who="test")
    with session_scope(engine) as s:
        groups = writer_groups(s)
        assert len(groups) >= 5
        together = split_by_matter(s, groups)
        alone = {i: c for g in groups for i, c in split_by_matter(s, [g]).items()}
        assert together == alone
        rows = {r.case_no: r for r in s.scalars(select(CaseRow))}
        no_of = {r.id: no for no, r in rows.items()}
        mates = chain_mates(s, rows)
        assert mates
        assert {no: {no, *mates.get(no, ())} for no in rows} == {
            no: {no_of[i] for i in _chain_ids(s, r)} for no, r in rows.items()}
