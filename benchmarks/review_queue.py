"""What a leader's answers in the review queue (待确认关联) do to the groups of 关联分析.

A leader reads the queue (``planner.analysis.review.near_misses``, 30 pairs a page as on the page), answers each
pair as the set's truth says (是同一问题 when the two letters are one matter, 不是同一问题 otherwise), and the
register is analysed again with those decisions, as 重新分析 does. Printed per round: pairs answered so far, how
many were confirmed, and the issue-level pair precision, recall and F1 against the truth.

Usage::

    python benchmarks/review_queue.py                      # the wording sets of issue 18, 3 rounds each
    python benchmarks/review_queue.py dev6 heldout2 --rounds 5

Prints figures; asserts nothing. The frozen held-out sets (heldout2-4) are scored in aggregate only: the script
prints no letter of them. Results are logged in benchmarks/clustering_results.md (run 87).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.analysis import Letter, analyse  # noqa: E402
from planner.analysis.decisions import Decision  # noqa: E402
from planner.analysis.metrics import score  # noqa: E402
from planner.analysis.review import near_misses  # noqa: E402

SETS = ("dev", "heldout", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "walk3",
        "heldout2", "heldout3", "heldout4")
PAGE = 30


def answer_rounds(name: str, rounds: int) -> list[str]:
    """The figures of ``rounds`` rounds of answering the queue of tests/data/cluster_wording_<name>.csv."""
    rows = list(csv.DictReader((ROOT / f"tests/data/cluster_wording_{name}.csv").open(encoding="utf-8")))
    truth = {r["id"]: r["issue"] for r in rows}
    letters = [Letter(r["id"], r["text"], dt.date.fromisoformat(r["received_date"]), address=r["address"],
                      petitioner_key=r["petitioner_key"]) for r in rows]

    def figures(res) -> str:
        s = score([truth[r["id"]] for r in rows], [res.issue_of[r["id"]] for r in rows])
        return f"P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f}"

    t0 = time.perf_counter()
    res = analyse(letters)
    out = [f"{name} ({len(rows)} letters): before any answer {figures(res)}"]
    decisions: list[Decision] = []
    confirmed = 0
    for k in range(1, rounds + 1):
        queue = near_misses(res, limit=PAGE)
        if not queue:
            out.append(f"  round {k}: the queue is empty")
            break
        for m in queue:
            same = truth[m.a_id] == truth[m.b_id]
            confirmed += same
            decisions.append(Decision("link" if same else "unlink", (m.a_id, m.b_id)))
        res = analyse(letters, decisions=decisions)
        out.append(f"  round {k}: {len(decisions)} pairs answered ({confirmed} confirmed): {figures(res)}")
    out.append(f"  ({time.perf_counter() - t0:.1f} s)")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*", default=list(SETS), help="names of tests/data/cluster_wording_<name>.csv")
    ap.add_argument("--rounds", type=int, default=3, help="pages of the queue answered, one re-analysis each")
    a = ap.parse_args()
    for name in a.sets:
        print("\n".join(answer_rounds(name, a.rounds)), flush=True)


if __name__ == "__main__":
    main()
