"""``python -m planner export-cases``: cases with their points as GeoPackage or zipped Shapefile for ArcGIS/QGIS."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers) -> None:
    """Add the ``export-cases`` subcommand."""
    p = subparsers.add_parser(
        "export-cases",
        help="案件点位导出为 GeoPackage 或 Shapefile（GBK，EPSG:4326），不含信访人身份",
        description="把数据库（DATABASE_URL）中有坐标的信访件导出为 GIS 图层：信访件编号、类别、状态、县区/乡镇/村、"
        "定位精度和坐标来源。不写入任何信访人信息。",
    )
    p.add_argument("--format", required=True, choices=("gpkg", "shp"), help="gpkg，或 shp（打包为 zip，.cpg 为 GBK）")
    p.add_argument("--out", required=True, type=Path, help="输出文件（gpkg 写 .gpkg，shp 写 .zip）")
    p.add_argument("--open-only", action="store_true", help="只导出未办结的信访件")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the layer; returns the exit code."""
    from sqlalchemy import select

    from planner.domain import CaseStatus
    from planner.field.gis import cases_gis
    from planner.store.database import get_engine, session_scope
    from planner.store.models import CaseRow

    with session_scope(get_engine()) as session:
        stmt = select(CaseRow).order_by(CaseRow.case_no)
        if args.open_only:
            stmt = stmt.where(CaseRow.status.in_([s.value for s in CaseStatus if s.is_open]))
        data = cases_gis(session.scalars(stmt), args.format)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"已导出案件点位 {args.format}: {args.out} ({len(data)} 字节)", file=sys.stderr)
    return 0
