"""``python -m planner demo-data``: write the demo register (and its ground truth) for trials and tests."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    """Add the ``demo-data`` subcommand."""
    p = subparsers.add_parser(
        "demo-data",
        help="生成演示信访登记表（虚构的信访人，真实的漳州地名）",
        description="生成演示信访登记表（虚构的信访人，真实的县、乡镇、村名）。同一 seed 生成的文件逐字节相同。",
    )
    p.add_argument("--seed", type=int, default=7, help="随机种子（默认 7）")
    p.add_argument("--letters", type=int, default=600, help="信访件数量（默认 600）")
    p.add_argument("--out", required=True, help="要写入的登记表（.xlsx 或 .csv）")
    p.add_argument("--truth", help="可选：另写真值表 CSV（id, issue, repeat_of）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the register and print one line saying what was written."""
    from planner.intake.demo import write_demo

    n = write_demo(args.out, seed=args.seed, letters=args.letters, truth=args.truth)
    extra = f"，真值表 {args.truth}" if args.truth else ""
    print(f"已写入 {n} 件演示信访件：{args.out}{extra}")
    return 0
