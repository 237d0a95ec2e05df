"""Benchmark: resolve 10,000 sample addresses offline and print seconds (target ≤ 2 s after loading)."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geodata.samples import sample_addresses
from planner.places import resolver as geocode


def main(argv: list[str] | None = None) -> int:
    """Print load time, resolution time and accuracy on seeded sample addresses."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("-n", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=2026)
    args = p.parse_args(argv)

    samples = sample_addresses(args.n, seed=args.seed)
    addresses = [s.address for s in samples]
    t0 = time.perf_counter()
    geocode.resolve("平和县山格镇土田村")  # builds the gazetteer index once
    t1 = time.perf_counter()
    results = geocode.resolve_many(addresses)
    t2 = time.perf_counter()
    # Without the per-call dedup, as a worst case (every address distinct).
    for a in addresses:
        geocode.resolve(a)
    t3 = time.perf_counter()

    ok = Counter()
    n = Counter()
    wrong = 0
    for s, r in zip(samples, results, strict=True):
        for level in ("county", "town", "village"):
            want = getattr(s, f"{level}_code")
            if want:
                n[level] += 1
                ok[level] += getattr(r, f"{level}_code") == want
        got = (r.county_code, r.town_code, r.village_code)
        want = (s.county_code, s.town_code, s.village_code)
        wrong += (not r.ambiguous) and any(g and g != w for g, w in zip(got, want, strict=True))
    print(f"addresses        {len(addresses):>8}  ({len(set(addresses))} distinct)")
    print(f"index load       {t1 - t0:8.3f} s")
    print(f"resolve_many     {t2 - t1:8.3f} s   (target ≤ 2 s)")
    print(f"resolve one-by-1 {t3 - t2:8.3f} s")
    for level in ("county", "town", "village"):
        print(f"{level:<16} {ok[level] / max(1, n[level]) * 100:8.2f} %  of {n[level]}")
    print(f"confident wrong  {wrong:>8}")
    print("precision        " + ", ".join(f"{k}={v}" for k, v in Counter(r.precision for r in results).items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
