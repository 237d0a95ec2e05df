"""``python -m planner teams``: write the database's teams as the planner's teams.csv."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    """Add the ``teams`` subcommand."""
    p = subparsers.add_parser("teams", help="检查组：把数据库中的检查组写成 teams.csv，供 plan 命令使用",
                              description="按路线规划的 teams.csv 格式写出启用的检查组"
                              "（数据库中还没有检查组时，先建好默认的五个检查组）。")
    p.add_argument("--out", required=True, help="要写入的 teams.csv")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write teams.csv and print how many teams it holds."""
    from planner.store.database import get_engine, session_scope
    from planner.store.teams import ensure_default_teams, write_teams_csv

    with session_scope(get_engine()) as session:
        teams = ensure_default_teams(session)
    write_teams_csv(teams, args.out)
    print(f"{len(teams)} 个检查组写入 {args.out}")
    return 0
