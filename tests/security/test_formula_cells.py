"""Issue 13.6: every CSV/xlsx writer neutralises every cell a user's data reaches, through one function."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.domain import TeamMember, Visit
from planner.office.privacy import _FORMULA_PREFIXES

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ("=1+2-ZZXF-2026-0001", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "＝HYPERLINK(\"http://x\")")

#: Every module that writes CSV or xlsx, and how its cells are neutralised. A new writer must add a row here and a
#: test below; a writer of synthetic demo registers is the only one allowed to write the cells it generated.
WRITERS = {
    "planner/selection/ranking.py": "safe_row",  # visits.csv (CLI select, 选件 download)
    "planner/store/teams.py": "safe_row",  # teams.csv
    "planner/followup/stats.py": "safe_row",  # 统计 Excel
    "planner/field/xlsx.py": "safe_cell",  # plan workbook (tests/export/test_privacy.py)
    "planner/intake/rejected.py": "safe_row",  # 未导入的行 workbook
    "planner/commands/cluster.py": "safe_cell",  # cluster CSVs
    "planner/commands/geocode.py": "safe_cell",  # geocoded register CSV
    "planner/intake/workbooks.py": "safe_row",  # table_xlsx: the register export and the audit log
    "planner/places/catalogue.py": "safe_row",  # gazetteer export CSV
    "planner/intake/demo.py": None,  # synthetic demo register (no user data)
    "planner/intake/plan_files.py": None,  # a temporary copy with English headers, read straight back, never handed out
}
_WRITER_RE = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(\)|\.to_csv\(|\.to_excel\(")


def test_every_writer_is_listed_and_uses_the_neutralising_function() -> None:
    found = set()
    for path in [*ROOT.glob("planner/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        text = path.read_text(encoding="utf-8")
        if _WRITER_RE.search(text):
            found.add(path.relative_to(ROOT).as_posix())
    assert found == set(WRITERS), "a CSV/xlsx writer was added or removed: list it in WRITERS with a test"
    for rel, function in WRITERS.items():
        if function:
            assert function in (ROOT / rel).read_text(encoding="utf-8"), rel


def _formula_cells(values) -> list[str]:
    return [v for v in values if isinstance(v, str) and v.startswith(_FORMULA_PREFIXES)]


def _csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [c for row in csv.reader(fh) for c in row]


def test_visits_csv_neutralises_case_numbers_and_reads_them_back(tmp_path) -> None:
    from planner.routing.planio import read_visits_csv
    from planner.selection.ranking import write_visits_csv

    visits = [
        Visit(visit_id=f"v{i}", lon=117.3, lat=24.5, service_min=30, case_nos=(h, "ZZ-1"), label=h, group=h,
              skills=(h,), excluded_members=(h,))
        for i, h in enumerate(HOSTILE)
    ]
    path = write_visits_csv(visits, tmp_path / "visits.csv")
    assert _formula_cells(_csv_cells(path)) == []
    back = read_visits_csv(path)
    assert [(v.case_nos, v.label, v.group) for v in back] == [
        (tuple(c.strip() for c in v.case_nos), v.label, v.group) for v in visits  # list items are trimmed on read
    ]


def test_teams_csv_neutralises_every_cell_and_reads_back(tmp_path) -> None:
    from planner.routing.planio import read_teams_csv
    from planner.store.teams import default_teams, write_teams_csv

    base = default_teams()[0]
    teams = [dataclasses.replace(base, team_id=f"T{i}", name=h, base_name=h, members=(TeamMember(h, h),))
             for i, h in enumerate(HOSTILE[:4])]
    path = tmp_path / "teams.csv"
    write_teams_csv(teams, path)
    assert _formula_cells(_csv_cells(path)) == []
    back = read_teams_csv(path)
    assert [(t.name, t.base_name) for t in back] == [(h, h) for h in HOSTILE[:4]]


def test_rejected_rows_workbook_neutralises_the_offices_own_headers() -> None:
    from planner.intake.register import rejected_rows_xlsx

    data = rejected_rows_xlsx([{h: h for h in HOSTILE}])
    ws = load_workbook(io.BytesIO(data)).active
    cells = [c.value for row in ws.iter_rows() for c in row]
    assert _formula_cells(cells) == [] and all(c.data_type != "f" for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize("value", HOSTILE)
def test_the_one_function_neutralises(value: str) -> None:
    from planner.office.privacy import safe_row

    assert _formula_cells(safe_row([value, 1, None])) == []


def test_gazetteer_csv_neutralises_codes_and_sources() -> None:
    from planner.places.catalogue import CatalogueRow, write_csv

    data = write_csv([CatalogueRow(h, h, h, h, h, h, 117.3, 24.5, 1.0, h) for h in HOSTILE])
    cells = [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
    assert _formula_cells(cells) == []


def test_register_export_neutralises_the_offices_extra_headers(engine) -> None:
    from planner.intake.register import import_register
    from planner.intake.register_export import register_xlsx
    from planner.store.database import session_scope

    head = "编号,收件日期,反映内容,=HYPERLINK(\"http://x\")\n"
    import_register(engine, (head + "=1+2,2026-11-02,+SUM(A1)反映,@cmd\n").encode("utf-8"), filename="r.csv",
                    who="t")
    with session_scope(engine) as s:
        ws = load_workbook(io.BytesIO(register_xlsx(s))).active
    cells = [c.value for row in ws.iter_rows() for c in row]
    assert _formula_cells(cells) == [] and all(c.data_type != "f" for row in ws.iter_rows() for c in row)
