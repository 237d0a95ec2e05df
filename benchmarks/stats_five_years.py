"""Statistics over five years of recorded work (the seed's scale): how long the figures and the Excel take.

Writes a synthetic history straight into a SQLite file — 1,129 letters taken down (as in the seed article), with
outcomes, clarifications and settlements spread over 2021-2025 — then times ``compute_stats`` for the usual
groupings and ``stats_to_excel``. Prints figures; asserts nothing.

    python benchmarks/stats_five_years.py [--letters 1129] [--db sqlite:////tmp/stats-bench.db]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.followup.stats import compute_stats, stats_to_excel
from planner.store.database import make_engine, session_scope, upgrade
from planner.store.models import (
    CaseRow,
    ClarificationRow,
    SettlementRow,
    TeamRow,
    VisitOutcomeRow,
)

COUNTIES = (("350602", "芗城区"), ("350603", "龙文区"), ("350681", "龙海市"), ("350625", "长泰县"),
            ("350622", "云霄县"), ("350623", "漳浦县"), ("350624", "诏安县"), ("350626", "东山县"),
            ("350627", "南靖县"), ("350628", "平和县"), ("350629", "华安县"))
CATEGORIES = ("林业", "扶贫资金", "村务财务", "征地拆迁", "低保", "工程建设", "惠农补贴")


def fill(url: str, letters: int, seed: int = 5) -> None:
    """Write ``letters`` visited cases with their outcomes over 2021-2025."""
    rng = random.Random(seed)
    engine = make_engine(url)
    upgrade(engine)
    start = dt.date(2021, 1, 1)
    with session_scope(engine) as s:
        s.add_all([TeamRow(id=f"T{i}", name=f"第{i}纪检监察室", base_lon=117.6, base_lat=24.5) for i in range(1, 9)])
        for n in range(letters):
            code, county = rng.choice(COUNTIES)
            received = start + dt.timedelta(days=rng.randint(0, 5 * 365 - 60))
            case = CaseRow(case_no=f"B{n:05d}", received_date=received, deadline=received + dt.timedelta(days=60),
                           content="…", county_code=code, county=county, category=rng.choice(CATEGORIES),
                           petitioner_key=f"p{rng.randint(0, letters // 2)}")
            s.add(case)
            s.flush()
            team = f"T{rng.randint(1, 8)}"
            day = received + dt.timedelta(days=rng.randint(5, 50))
            for k in range(rng.choice((1, 1, 1, 2, 3))):
                s.add(VisitOutcomeRow(case_id=case.id, visit_date=day + dt.timedelta(days=30 * k), result="visited",
                                      team_id=team, problem_resolved=k == 0 and rng.random() < 0.42,
                                      households_visited=rng.randint(5, 60), leads_collected=rng.choice((0, 0, 1)),
                                      problems_solved=rng.choice((0, 0, 1, 1, 2))))
            if rng.random() < 0.18:
                s.add(ClarificationRow(case_id=case.id, cadre="某某", issued_date=day + dt.timedelta(days=20)))
            if rng.random() < 0.05:
                s.add(SettlementRow(case_id=case.id, agreed_date=day + dt.timedelta(days=40)))
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1129)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp()) / 'stats-bench.db'}"
    t = time.perf_counter()
    fill(url, args.letters)
    print(f"history written: {args.letters} letters in {time.perf_counter() - t:.1f} s ({url})")
    engine = make_engine(url)
    whole = {"start": dt.date(2021, 1, 1), "end": dt.date(2025, 12, 31)}
    for by, period in ((("county",), "month"), (("team",), "quarter"), (("county", "period"), "year"),
                       (("category", "team"), "month"), ((), "month")):
        t = time.perf_counter()
        with session_scope(engine) as s:
            stats = compute_stats(s, **whole, by=by, period=period)
        ms = (time.perf_counter() - t) * 1000
        print(f"compute_stats by={by or ('total',)!s:<24} period={period:<8} {len(stats.rows):>4} rows  {ms:7.1f} ms")
    t = time.perf_counter()
    data = stats_to_excel(stats)
    print(f"stats_to_excel: {len(data) / 1024:.0f} KiB in {(time.perf_counter() - t) * 1000:.0f} ms")
    print(stats.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
