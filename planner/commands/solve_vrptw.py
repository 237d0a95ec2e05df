"""``python -m planner solve-vrptw INSTANCE``: solve a Solomon/VRPLIB VRPTW instance (DIMACS convention), print JSON."""

from __future__ import annotations

import json
from pathlib import Path


def register(subparsers) -> None:
    """Add the ``solve-vrptw`` subcommand."""
    p = subparsers.add_parser(
        "solve-vrptw",
        help="用路线规划的 OR-Tools 求解器解 VRPTW 标准算例（VRPLIB .vrp 或 Solomon .txt），输出 JSON",
        description="用路线规划的 OR-Tools 求解器解 VRPTW 标准算例"
        "（DIMACS 约定：距离、时间×10 取整；固定车队；距离目标）。",
    )
    p.add_argument("instance", type=Path, help="算例文件（.vrp 按 VRPLIB 读，其他按 Solomon 文本读）")
    p.add_argument("--time-limit", type=float, default=10.0, help="求解时间，秒（默认 10）")
    p.add_argument("--workers", type=int, default=2, help="用不同设置并行求解的个数（1-5；默认 2：用满两个核）")
    p.set_defaults(func=run)


def run(args) -> int:
    """Solve and print the result JSON; return the exit code (1 when no feasible plan was found)."""
    from planner.routing.vrptw import read_vrptw, solve_vrptw

    inst = read_vrptw(args.instance)
    result = solve_vrptw(inst, time_limit_s=args.time_limit, workers=args.workers)
    print(json.dumps(result.to_json()))
    return 0 if result.feasible else 1
