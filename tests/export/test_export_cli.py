"""``python -m planner export``: every format to a file, errors as one line and a non-zero exit."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from planner.cli import main
from tests.export.conftest import PLAN_PATH


@pytest.mark.parametrize("fmt", ["ics", "gpx", "kml", "geojson", "xlsx", "html"])
def test_each_format_for_one_team_day(tmp_path, fmt):
    out = tmp_path / f"day.{fmt}"
    rc = main(["export", str(PLAN_PATH), "--format", fmt, "--team", "T1", "--date", "2026-12-07", "--out", str(out)])
    assert rc == 0
    data = out.read_bytes()
    assert "山格镇".encode() in data or fmt == "xlsx"
    if fmt == "geojson":
        stops = [f for f in json.loads(data)["features"] if f["properties"]["kind"] == "stop"]
        assert len(stops) == 6


def test_zip_without_team_and_date_is_the_whole_plan(tmp_path):
    out = tmp_path / "packet.zip"
    assert main(["export", str(PLAN_PATH), "--format", "zip", "--out", str(out)]) == 0
    z = zipfile.ZipFile(io.BytesIO(out.read_bytes()))
    assert len(json.loads(z.read("manifest.json"))["itineraries"]) == 3


def test_pdf_for_one_day(tmp_path):
    out = tmp_path / "d.pdf"
    assert main(["export", str(PLAN_PATH), "--format", "pdf", "--team", "T2", "--date", "2026-12-07",
                 "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf", "--team", "T9", "--date", "2026-12-07"], "T9"),
        (["--format", "html"], "一个组一天"),
        (["--format", "pdf", "--team", "T1", "--date", "12/07"], "YYYY-MM-DD"),
        (["--format", "pdf", "--contacts"], "--db"),
    ],
)
def test_errors_are_one_line_and_exit_2(tmp_path, capsys, args, message):
    rc = main(["export", str(PLAN_PATH), *args, "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert rc == 2
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_missing_plan_file(tmp_path, capsys):
    rc = main(["export", str(tmp_path / "nope.json"), "--format", "ics", "--out", str(tmp_path / "x.ics")])
    assert rc == 2 and "nope.json" in capsys.readouterr().err
