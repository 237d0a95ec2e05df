"""Benchmark of the stored repeat chains (planner.store.chains): cold and warm cost on a large register.

Usage::

    python benchmarks/chains.py                       # 5,000 and 10,000 letters, SQLite
    python benchmarks/chains.py --letters 2000 --pg   # also PostgreSQL (postgresql+psycopg://postgres@127.0.0.1/test)

A demo register (:func:`planner.intake.demo.generate_letters`) in which about 15% of the writers write 2 to 5
letters (:func:`repeat_writers`: half of the later letters 再次反映 the first one's matter at its place, the others
another matter; some later letters without the ID number, same name and phone) is imported into a fresh database,
then each path that reads the chains is timed cold (the process's verdict cache emptied) and warm (asked again):
``chain_mates`` over every case, ``_chain_ids`` for single letters, the statistics' repeat count, 首页's 双反馈 gaps
and 选件's take-along. Prints figures; it asserts nothing (speed is not a test).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402

from planner.intake.demo import DemoLetter, generate_letters, register_xlsx_bytes  # noqa: E402


def repeat_writers(letters: list[DemoLetter], *, share: float = 0.15, seed: int = 11) -> list[DemoLetter]:
    """``letters`` with about ``share`` of the writers given 2 to 5 letters: each picked writer's later letters take
    the first one's name, phone and ID number; half of them re-send its matter (再次反映, its place and persons),
    the others keep their own matter; one in four drops the ID number (the same name and phone)."""
    rng = random.Random(seed)
    out = list(letters)
    named = [i for i, lt in enumerate(out) if lt.name and lt.phone and lt.id_number]
    rng.shuffle(named)
    free, groups = set(range(len(out))), []
    target = int(len(out) * share / 3.5)  # writers of several letters (3.5 letters each on average)
    for first in named:
        if len(groups) >= target:
            break
        if first not in free:
            continue
        pool = [i for i in rng.sample(range(len(out)), 12) if i in free and i != first]
        group = [first, *pool[:rng.randint(1, 4)]]
        if len(group) < 2:
            continue
        free.difference_update(group)
        groups.append(sorted(group, key=lambda i: out[i].received_date))
    for group in groups:
        head = out[group[0]]
        for i in group[1:]:
            lt = dataclasses.replace(out[i], name=head.name, phone=head.phone,
                                     id_number="" if rng.random() < 0.25 else head.id_number)
            if rng.random() < 0.5:
                lt = dataclasses.replace(lt, content="再次反映：" + head.content, address=head.address, lon=head.lon,
                                         lat=head.lat, datum_label=head.datum_label, county_code=head.county_code,
                                         reported_persons=head.reported_persons, reported_units=head.reported_units,
                                         category=head.category)
            out[i] = lt
    return out


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _cold() -> None:
    from planner.store import chains

    with chains._lock:
        chains._cache.clear()


def run(url: str, n: int, *, seed: int = 7) -> None:
    """Import a register of ``n`` letters into the empty database at ``url`` and print the timings."""
    from planner.followup.feedback import missing_feedback
    from planner.followup.stats import _repeat_case_ids
    from planner.intake.register import import_register
    from planner.selection.repeats import carried_along, visited_firsts, whole_chains
    from planner.store.cases import _chain_ids, chain_mates
    from planner.store.chains import writer_groups
    from planner.store.database import make_engine, session_scope, upgrade
    from planner.store.models import CaseRow

    engine = make_engine(url)
    upgrade(engine)
    letters = repeat_writers(generate_letters(seed, n))
    spent, _ = _timed(lambda: _import(engine, import_register, register_xlsx_bytes(letters)))
    print(f"\n== {n} letters, {engine.dialect.name} (import {spent:.1f} s)")
    with session_scope(engine) as session:
        nos = list(session.scalars(select(CaseRow.case_no).order_by(CaseRow.case_no)))
        groups = writer_groups(session)
        several = [g for g in groups if len(g) > 1]
        print(f"writers with 2+ letters: {len(several)} ({sum(map(len, several))} letters)")
        cases = {r.id: r for r in session.scalars(select(CaseRow))}
        rng = random.Random(3)
        singles = [cases[i] for i in rng.sample(sorted(set().union(*several)), min(50, len(several)))]
        page = nos[:200]
        paths: list[tuple[str, Callable[[], object]]] = [
            # The process's first call also pays its one-off costs: imports, the office's words, and the meaning
            # vectors of letters no import page (nor 关联分析) encoded — python -m planner import encodes none.
            ("first call in the process: chain_mates(all)", lambda: chain_mates(session, nos)),
            ("chain_mates(all cases)", lambda: chain_mates(session, nos)),
            ("chain_mates(200 cases: one page)", lambda: chain_mates(session, page)),
            (f"_chain_ids x{len(singles)} (repeat letters)", lambda: [_chain_ids(session, r) for r in singles]),
            ("统计 _repeat_case_ids", lambda: _repeat_case_ids(session, cases)),
            ("首页 missing_feedback", lambda: missing_feedback(session)),
            ("选件 visited_firsts(all)", lambda: visited_firsts(session, nos)),
            ("选件 carried_along(all)", lambda: carried_along(session, nos)),
            ("选件 whole_chains(200 of all)", lambda: whole_chains(session, page, nos)),
        ]
        mates = None
        for label, fn in paths:
            _cold()
            cold, result = _timed(fn)
            warm, again = _timed(fn)
            if label.startswith("chain_mates(all"):
                mates = result
            assert repr(result) == repr(again), label
            print(f"{label:<44} cold {cold:7.2f} s   warm {warm:7.2f} s")
        print(f"letters with chain mates: {len(mates or {})}")
    engine.dispose()


def _import(engine, import_register, data: bytes) -> None:
    from planner.store.database import session_scope

    with session_scope(engine) as session:
        import_register(session, data, filename="bench.xlsx", who="bench")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark for each register size."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--letters", type=int, nargs="*", default=[5000, 10000])
    ap.add_argument("--pg", action="store_true", help="also on PostgreSQL (a fresh database, dropped after)")
    ap.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = ap.parse_args(argv)
    for n in args.letters:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/bench.db", n)
        if args.pg:
            import uuid

            from sqlalchemy import create_engine

            name = f"xf_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                run(args.pg_url.rsplit("/", 1)[0] + "/" + name, n)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
