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
        description="Cases of the database (DATABASE_URL) with a point, as GIS layers: case number, category, "
        "status, county/town/village, precision and where the point comes from. No petitioner field is written.",
    )
    p.add_argument("--format", required=True, choices=("gpkg", "shp"), help="gpkg, or shp (a zip with .cpg = GBK)")
    p.add_argument("--out", required=True, type=Path, help="output file (.gpkg, or .zip for shp)")
    p.add_argument("--open-only", action="store_true", help="only cases not yet closed")
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
