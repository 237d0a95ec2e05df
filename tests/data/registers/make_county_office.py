"""Write ``county_office.xlsx``: a county office's own register, typed by hand (not from the demo generator).

Title rows above the header, the office's own column names (来信编号, 登记时间, 反映问题摘要, 办理情况 ...), a 序号,
承办人, 涉及金额 and 备注 column no field takes, one combined 被反映单位/人 column, dates written 2026年10月3日,
2026.10.15 and 2026/10/20 next to real date cells, and no category column. Every personal value is invented.

Run ``PYTHONPATH=. python tests/data/registers/make_county_office.py`` to rewrite it; the bytes are stable.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent

HEADERS = ("序号", "来信编号", "登记时间", "来信人", "联系方式", "被反映单位/人", "反映问题摘要", "问题发生地",
           "涉及乡镇", "涉及金额（万元）", "办理情况", "承办人", "备注")
ROWS: tuple[tuple[object, ...], ...] = (
    (1, "平纪信〔2026〕101号", "2026年10月3日", "林建华", "13905961234", "山格镇林业站、林某某（站长）",
     "山格镇林业站向林农收取桉树砍伐保证金每亩300元，砍伐后不予退还，涉及土田村、隆庆村林农。", "平和县山格镇土田村",
     "山格镇", 12, "在办", "张晓明", "同类问题霞寨镇也有反映，建议并案"),
    (2, "平纪信〔2026〕102号", dt.datetime(2026, 10, 9), "匿名", "", "霞寨镇钟腾村村委会；村支书黄国平",
     "钟腾村村务财务不公开，2025年修路款二十多万元去向不明，村支书黄国平用白条报账。", "平和县霞寨镇钟腾村", "霞寨镇",
     20, "已办结", "李文", "已于2026年11月5日答复信访人"),
    (3, "平纪信〔2026〕103号", "2026.10.15", "陈秀英", "0596-5231234", "小溪镇社会事务服务中心",
     "小溪镇低保评定不公，村干部亲属享受低保，真正困难户评不上。", "平和县小溪镇新桥村", "小溪镇", None, "已化解",
     "李文", None),
    (4, "平纪信〔2026〕104号", "2026/10/20", "朱德胜", "13860412345", "漳州市鑫源建设工程有限公司/文峰镇人民政府",
     "文峰镇三坪村村道硬化工程偷工减料，路面才用三个月就开裂，施工方拖欠农民工工资八万元。", "平和县文峰镇三坪村",
     "文峰镇", 8.5, None, "张晓明", "网络举报转来"),
    (5, "平纪信〔2026〕105号", "2026年10月28日", "蔡丽娟", "15880234567", "南胜镇自然资源所；林国平（所长）",
     "南胜镇征收土地约50亩，补偿标准低于周边，村里每年少交几十万，补偿款至今未发放到位。", "平和县南胜镇", "南胜镇",
     None, "在办", "王丽", "涉及群众较多，注意稳控"),
    (6, "平纪信〔2026〕106号", "2026年11月2日", None, None, "坂仔镇卫生院",
     "坂仔镇卫生院医保报销要收好处费，群众看病报销难。", "平和县坂仔镇", "坂仔镇", None, "在办", "李文", None),
    (7, "平纪信〔2026〕107号", "2026年11月8日", "赖某", None, None, "反映有关情况，请求处理。", "平和县安厚镇",
     "安厚镇", None, None, None, "来信字迹潦草，内容不详"),
    (8, "平纪信〔2026〕108号", dt.datetime(2026, 11, 15), "郑明", "13799561234", "国强乡乡长郑某某",
     "国强乡乡长郑某某上班时间打牌，群众办事经常找不到人。", "平和县国强乡", "国强乡", None, "在办", "王丽", None),
)


def build() -> bytes:
    """The register as xlsx bytes (fixed timestamps, so the same content gives the same file)."""
    from planner.intake.workbooks import FIXED_STAMP, deterministic_xlsx

    wb = Workbook()
    ws = wb.active
    ws.title = "信访件登记"
    wb.properties.created = wb.properties.modified = FIXED_STAMP
    ws.append(["平和县纪委监委信访举报件登记表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["填表单位：信访室", None, None, None, None, None, "填表日期：2026年11月20日"])
    ws.append([])
    ws.append(list(HEADERS))
    for row in ROWS:
        ws.append(list(row))
        cell = ws.cell(row=ws.max_row, column=3)
        if isinstance(cell.value, dt.datetime):
            cell.number_format = "yyyy-mm-dd"
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_xlsx(buf.getvalue())


if __name__ == "__main__":
    (HERE / "county_office.xlsx").write_bytes(build())
