"""``python -m planner gazetteer``: bring the office's own places in (CSV/Excel/GIS) and write every known place out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.errors import InputError


def register(subparsers) -> None:
    """Add the ``gazetteer`` subcommand (``import`` and ``export``)."""
    p = subparsers.add_parser(
        "gazetteer",
        help="本单位地名库：导入乡镇/村/社区/道路/地点（CSV、Excel、Shapefile、GeoPackage、GeoJSON、KML），导出全部地名",
        description="本单位地名库。导入和更正过的地名在各处（地址解析、地图、路线规划、导出）都优先于内置点位。"
        "数据库为 DATABASE_URL（默认：本系统的 SQLite 文件）。",
    )
    sub = p.add_subparsers(dest="gazetteer_command", metavar="操作", required=True, help="下列操作之一")
    imp = sub.add_parser(
        "import",
        help="导入地名文件（列：name, level, county, town, village, lon, lat）",
        description="导入地名文件（列：name, level, county, town, village, lon, lat）。",
    )
    imp.add_argument("file", type=Path, help="CSV/Excel，或 .shp/.gpkg/.geojson/.kml（点位或村界）")
    imp.add_argument("--datum", default="wgs84", choices=("wgs84", "gcj02", "bd09"),
                     help="文件未注明时坐标所用的坐标系（GIS 文件以其自带坐标系为准）")
    imp.add_argument("--level", default=None, choices=("town", "village", "community", "road", "poi"),
                     help="文件没有 level 列时，每行地名的级别")
    imp.add_argument("--user", default="system", help="导入人（记入审计日志）")
    imp.set_defaults(func=run_import)
    exp = sub.add_parser("export", help="导出解析器知道的全部地名 CSV",
                         description="导出解析器知道的全部地名 CSV。")
    exp.add_argument("--out", type=Path, required=True, help="要写入的 CSV 文件（UTF-8 带 BOM）")
    exp.set_defaults(func=run_export)


def _engine():
    from planner.store.database import get_engine

    return get_engine()


def run_import(args: argparse.Namespace) -> int:
    """Read, check and store the places of one file; re-locate open cases."""
    from planner.places.office_files import read_places
    from planner.store.database import session_scope
    from planner.store.places import load_gazetteer, relocate_open_cases, save_places

    if not args.file.exists():
        raise InputError(f"文件 {str(args.file)!r} 不存在")
    places = read_places(args.file, datum=args.datum, level=args.level)
    with session_scope(_engine()) as session:
        n = save_places(session, places, actor=args.user, origin=args.file.name)
        moved = relocate_open_cases(session, load_gazetteer(session), who=args.user)
    unlisted = sum(1 for p in places if not p.code)
    print(f"已导入 {n} 个地名（{args.file.name}）；其中 {unlisted} 个不在内置代码表（道路、地点或新村）；"
          f"{moved} 件未结案件已按新地名库重新定位（县区、乡镇、村、坐标和定位说明）", file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write every place the resolver knows, the office's places first where they replace a built-in one."""
    from planner.places.catalogue import export_rows, write_csv
    from planner.store.database import session_scope
    from planner.store.places import load_gazetteer

    with session_scope(_engine()) as session:
        gaz = load_gazetteer(session)
    rows = export_rows(gaz)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(write_csv(rows))
    print(f"已导出 {len(rows)} 个地名 -> {args.out}", file=sys.stderr)
    return 0
