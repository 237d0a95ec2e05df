"""Benchmark: time to build the whole field packet (zip of every format) for a 6-stop team-day (target < 2 s)."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.field import build_itinerary, load_document, render  # noqa: E402
from planner.field.packet import DAY_FORMATS  # noqa: E402

PLAN = ROOT / "tests" / "data" / "plan_zhangzhou.json"
TARGET_S = 2.0


def main(repeats: int = 5) -> int:
    """Print cold and warm packet build times and each format's share; exit 1 when the target is missed."""
    t0 = time.perf_counter()
    doc = load_document(PLAN)
    it = build_itinerary(doc, "T1", "2026-12-07")
    data = render("zip", it)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(repeats):
        t = time.perf_counter()
        render("zip", build_itinerary(doc, "T1", "2026-12-07"))
        warm.append(time.perf_counter() - t)
    print(f"field packet, {len(it.stops)} stops, {len(data) / 1024:.0f} KiB zip")
    print(f"  cold (first build in a process, fonts and Leaflet loaded): {cold:.2f} s")
    print(f"  warm median of {repeats}: {statistics.median(warm):.2f} s (min {min(warm):.2f}, max {max(warm):.2f})")
    for fmt in [*DAY_FORMATS, "xlsx"]:
        t = time.perf_counter()
        render(fmt, it)
        print(f"    {fmt:8s} {time.perf_counter() - t:.3f} s")
    ok = cold < TARGET_S
    print(f"target < {TARGET_S:.0f} s (cold): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
