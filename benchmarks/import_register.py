"""Benchmark: import a 10,000-row register (xlsx) into a fresh database; prints seconds per stage.

Usage: ``python benchmarks/import_register.py [--rows 10000] [--pg postgresql+psycopg://postgres@127.0.0.1/test]``
(target: import <= 15 s). With ``--pg`` a scratch database is created on that server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.intake import register as ingest
from planner.intake.demo import generate_letters, letters_with, register_xlsx_bytes
from planner.store.database import make_engine, upgrade


def main() -> int:
    """Generate, read, import, and re-import a register; print timings."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--pg", help="PostgreSQL admin URL; a scratch database is created there (default: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = _scratch_pg(args.pg) if args.pg else f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        t0 = time.perf_counter()
        data = register_xlsx_bytes(generate_letters(seed=7, letters=args.rows))
        t1 = time.perf_counter()
        preview = ingest.read_register(data, filename="bench.xlsx")
        t2 = time.perf_counter()
        first = ingest.import_register(engine, data, filename="bench.xlsx")
        t3 = time.perf_counter()
        again = ingest.import_register(engine, data, filename="bench.xlsx")
        t4 = time.perf_counter()
        letters = generate_letters(seed=7, letters=args.rows)
        revised = register_xlsx_bytes(letters_with(letters, category="其他"))
        t5 = time.perf_counter()
        changed = ingest.import_register(engine, revised, filename="bench-v2.xlsx")
        t6 = time.perf_counter()
        print(f"backend            {engine.dialect.name}")
        print(f"rows               {args.rows}")
        print(f"generate xlsx      {t1 - t0:6.2f} s  ({len(data) / 2**20:.1f} MB)")
        print(f"read + validate    {t2 - t1:6.2f} s  ({preview.valid_rows} valid)")
        print(f"import (new)       {t3 - t2:6.2f} s  {first.text()}")
        print(f"re-import (same)   {t4 - t3:6.2f} s  {again.text()}")
        print(f"re-import (all changed) {t6 - t5:6.2f} s  {changed.text()}")
        print(f"geocoded           {dict(first.geocoded)}")
        print(f"target             import <= 15 s: {'OK' if t3 - t2 <= 15 else 'MISSED'}")
        engine.dispose()
        if args.pg:
            _drop_pg(args.pg, url)
    return 0


def _scratch_pg(admin_url: str) -> str:
    import uuid

    from sqlalchemy import create_engine, text

    name = f"xf_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


def _drop_pg(admin_url: str, url: str) -> None:
    from sqlalchemy import create_engine, text

    name = url.rsplit("/", 1)[1]
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
