"""``python -m planner export``: the field packet and coordinators' exports from a plan.json."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.errors import InputError


def register(subparsers) -> None:
    """Add the ``export`` subcommand."""
    from planner.field import FORMATS

    p = subparsers.add_parser(
        "export",
        help="导出行程单/离线地图/日历/GPX/KML/GeoJSON/Excel/整包 zip",
        description="导出走访方案：pdf、html、ics、gpx、kml、geojson 按一个组一天（或每一天）导出；xlsx 导出整个方案；"
        "zip 为一个组一天的整套下访材料，不写 --team/--date 时为所有组所有日期的材料。",
    )
    p.add_argument("plan", type=Path, help="路线规划写出的方案文件 plan.json")
    p.add_argument("--format", required=True, choices=sorted(FORMATS), help="导出格式")
    p.add_argument("--team", default=None, help="检查组编号（如 T1）")
    p.add_argument("--date", default=None, help="日期，YYYY-MM-DD")
    p.add_argument("--out", required=True, type=Path, help="输出文件")
    p.add_argument("--db", default=None, help="数据库地址，用来补全方案中缺少的信访件详情")
    p.add_argument("--contacts", action="store_true",
                   help="附上信访人联系方式（脱敏，取自 --db；信访人要求保密的信访件不附）")
    p.add_argument("--unmask", action="store_true",
                   help="不脱敏显示信访人身份（须用 --user 指定有查看身份权限的账户，密码放在 "
                   "XIAFANG_PASSWORD；记入审计日志；信访人要求保密的信访件仍不附）")
    p.add_argument("--user", default=None,
                   help="以该账户身份导出（密码放在 XIAFANG_PASSWORD；须同时给 --db）：只导出其所在检查组的线路，"
                   "联系方式只含其负责的信访件；--unmask 必须指定")
    p.add_argument("--reason", default="", help="导出身份信息的理由（记入审计日志）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the export; returns the exit code."""
    from planner.field import export_plan, itineraries, load_document
    from planner.field.model import enrich_cases

    doc = load_document(args.plan)
    if (args.contacts or args.unmask) and not args.db:
        raise InputError("--db：信访人联系方式来自数据库，请用 --db 指定数据库地址")
    if args.unmask and not args.user:
        raise InputError("--user：--unmask 需要指定导出人（密码放在 XIAFANG_PASSWORD）")
    if args.user and not args.db:
        raise InputError("--user：账户及其检查组在数据库中，请用 --db 指定数据库地址")
    if args.format == "html" and len(its := itineraries(doc, team_id=args.team, date=args.date)) != 1:
        raise InputError(f"--team/--date：HTML 地图只显示一个组一天，现选中 {len(its)} 个组日")
    options = {"team_id": args.team, "date": args.date, "contacts": args.contacts}
    if not args.db:
        data = export_plan(doc, args.format, **options)
    else:
        from planner.store.database import make_engine, session_factory

        engine = make_engine(args.db)
        session = session_factory(engine)()
        try:
            doc = enrich_cases(doc, session)
            if args.user:
                from planner.commands import signed_in

                # The account's scope applies: a leader or officer exports only their own teams' routes.
                options.update(actor=signed_in(session, args.user))
            if args.unmask:
                options.update(unmask=True, reason=args.reason)
            data = export_plan(doc, args.format, session=session, **options)
            session.commit()  # the audit row of an unmasked export
        finally:
            session.close()
            engine.dispose()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"已导出 {args.format}: {args.out} ({len(data)} 字节)", file=sys.stderr)
    return 0
