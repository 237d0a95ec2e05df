"""Upload checks: size, type by content, zip bombs, unsafe names and paths."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.errors import InputError
from planner.intake.uploads import check_upload, safe_filename, safe_path


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["编号", "内容"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for n, d in members.items():
            zf.writestr(n, d)
    return buf.getvalue()


def test_good_files_pass() -> None:
    info = check_upload("C:\\Users\\lin\\登记表.xlsx", _xlsx())
    assert info.safe_name == "登记表.xlsx" and info.suffix == ".xlsx" and len(info.sha256) == 64
    assert check_upload("a.csv", "编号,内容\n1,测试\n".encode("gb18030")).encoding == "gb18030"
    assert check_upload("a.csv", "\ufeff编号,内容\n".encode()).encoding == "utf-8-sig"
    assert check_upload("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100).suffix == ".xls"


@pytest.mark.parametrize(
    ("name", "data", "match"),
    [
        ("a.xlsx", b"", "空文件"),
        ("a.exe", b"MZ...", "不受理"),
        ("a.xlsx.exe", b"MZ...", "不受理"),
        ("a.xlsx", b"MZ\x90\x00", "不是有效的 Excel \\(\\.xlsx\\)"),
        ("a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 10, "旧版"),
        ("a.xls", b"PK\x03\x04rest", "Excel 97-2003"),
        ("a.xlsx", b"PK\x03\x04 damaged", "已损坏"),
        ("a.xlsx", _zip({"hello.txt": b"x"}), "不是有效的 Excel 工作簿"),
        ("a.csv", b"a,b\x00c", "二进制"),
        ("a.csv", b"\xff\xfe\xfd\x80\x80", "既不是 UTF-8"),
        ("../../etc/passwd", b"root:x:0:0", "不受理"),
        ("..", b"x", "不可用"),
    ],
)
def test_bad_files_refused(name: str, data: bytes, match: str) -> None:
    with pytest.raises(InputError, match=match):
        check_upload(name, data, allowed=(".xlsx", ".xls", ".csv"))


def test_size_limit_and_zip_bomb() -> None:
    with pytest.raises(InputError, match="超过上限"):
        check_upload("a.csv", b"x" * 1001, max_bytes=1000)
    bomb = _zip({"[Content_Types].xml": b"x", "xl/workbook.xml": b"x", "xl/big.xml": b"\0" * 5_000_000})
    with pytest.raises(InputError, match="压缩炸弹"):
        check_upload("a.xlsx", bomb, max_bytes=10_000)
    evil = _zip({"[Content_Types].xml": b"x", "xl/workbook.xml": b"x", "../../evil.sh": b"x"})
    with pytest.raises(InputError, match="不安全路径"):
        check_upload("a.xlsx", evil)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=80))
def test_safe_path_never_escapes(tmp_path_factory, name: str) -> None:
    base = tmp_path_factory.getbasetemp() / "uploads"
    try:
        path = safe_path(base, name)
    except InputError:
        return
    assert path.parent == base.resolve()
    assert "/" not in path.name and "\\" not in path.name and path.name not in {".", ".."}


@pytest.mark.parametrize(
    ("name", "expected"),
    [("../../a.csv", "a.csv"), ("C:\\x\\..\\b.xlsx", "b.xlsx"), ("con.csv", "_con.csv"), ("a\x00b.csv", "a_b.csv")],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected
