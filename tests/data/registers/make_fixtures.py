"""Regenerate the small register fixtures in this folder: ``PYTHONPATH=. python tests/data/registers/make_fixtures.py``.

``legacy.xls`` (Excel 97-2003) was written once with ``xlwt`` 1.3.0, which is not a project dependency.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook

from planner.intake.demo import generate_letters, register_csv_bytes, register_xlsx_bytes
from planner.intake.workbooks import deterministic_xlsx

HERE = Path(__file__).resolve().parent


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_xlsx(buf.getvalue())


def main() -> None:
    letters = generate_letters(seed=11, letters=30)
    (HERE / "normal.xlsx").write_bytes(register_xlsx_bytes(letters))
    (HERE / "normal_utf8_bom.csv").write_bytes(register_csv_bytes(letters[:10]))
    (HERE / "normal_gbk.csv").write_bytes(register_csv_bytes(letters[:10], encoding="gbk"))
    (HERE / "normal_utf8.csv").write_bytes(register_csv_bytes(letters[:10], encoding="utf-8"))
    full = register_xlsx_bytes(letters)
    (HERE / "truncated.xlsx").write_bytes(full[: len(full) // 2])
    (HERE / "not_excel.xlsx").write_bytes(b"This is a plain text file renamed to .xlsx\n" * 20)
    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "blank_lines.csv").write_bytes(b"\r\n\r\n   \r\n")
    (HERE / "latin1.csv").write_bytes("Num\xe9ro;Date re\xe7ue;Contenu\n1;2026-01-05;caf\xe9\n".encode("latin-1"))
    (HERE / "duplicate_headers.csv").write_bytes(
        "编号,收件日期,反映内容,地址,地址\n"
        "D-001,2026-03-02,村务不公开,平和县山格镇土田村,旧地址\n"
        "D-002,2026-03-03,低保优亲厚友,南靖县书洋镇,\n".encode("utf-8-sig")
    )
    (HERE / "formulas.csv").write_bytes(
        "编号,收件日期,反映内容,被反映人,地址\n"
        'F-001,2026-04-01,"=HYPERLINK(""http://evil.example"",""点我"")",=1+2,华安县华丰镇\n'
        "F-002,2026-04-02,@SUM(A1:A9),+陈某,漳浦县旧镇镇\n".encode()
    )
    (HERE / "bad_rows.csv").write_bytes(
        "信访件编号,登记日期,主要问题,信访人,联系电话,身份证号,发生地,经度,纬度,坐标系\n"
        "B-001,2026-05-06,征地补偿款未发放,陈建华,13812345678,350628198001011234,平和县山格镇,,,\n"
        "B-002,2026-13-45,日期不对,林志明,13900001111,,南靖县山城镇,,,\n"
        ",2026-05-07,没有编号,,,,华安县,,,\n"
        "B-004,2026-05-08,,王五,,,长泰县岩溪镇,,,\n"
        "B-005,2026/5/9,坐标填反,匿名,,,龙海市角美镇,24.52,117.93,WGS84\n"
        "B-006,2026年5月10日,高德坐标,,,,诏安县南诏镇,117.1812,23.7086,高德\n"
        "B-001,2026-05-11,编号重复,,,,东山县,,,\n"
        "B-008,2026-05-12,坐标不是数字,,,,云霄县,abc,23.9,\n".encode("gbk")
    )
    (HERE / "title_rows.xlsx").write_bytes(_xlsx([
        ["漳浦县纪委监委信访件台账"],
        ["统计截至：2026年11月"],
        [],
        ["序号", "信访编号", "收信日期", "信访人姓名", "内容摘要", "县区", "乡镇", "村", "被举报人", "备注"],
        [1, "ZP-2026-001", "2026-02-03", "蔡文彬", "村财务不公开", "漳浦县", "旧镇镇", "", "某某", ""],
        [2, "ZP-2026-002", "2026-02-05", "匿名", "低保评议不公", "漳浦县", "杜浔镇", "", "", ""],
    ]))


if __name__ == "__main__":
    main()
