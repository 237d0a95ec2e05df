"""Tests of ``python -m planner cluster``: column options, identity never written, errors as one line."""

import csv

import pytest

from planner.cli import main


def _write(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


@pytest.fixture()
def register(tmp_path):
    path = tmp_path / "reg.csv"
    _write(
        path,
        ["编号", "收信日期", "反映内容", "地址", "信访人", "联系电话"],
        [
            ["A1", "2026-03-01", "山格林业站违规收取桉树砍伐保证金，每亩300元", "平和县山格镇土田村", "张三",
             "13800000001"],
            ["A2", "2026-03-05", "书洋镇林业站砍伐桉树要交保证金，不退", "南靖县书洋镇", "李四", "13800000002"],
            ["A3", "2026-04-01", "再次反映山格林业站收取桉树砍伐保证金至今未退", "平和县山格镇土田村", "张三",
             "13800000001"],
            ["A4", "2026-04-02", "=HYPERLINK(\"x\") 村干部公车私用", "", "匿名", ""],
        ],
    )
    return path


def test_register_file_to_csv(register, tmp_path):
    out = tmp_path / "out.csv"
    assert main(["cluster", "--input", str(register), "--output", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    rows = {r["id"]: r for r in csv.DictReader(text.splitlines())}
    assert list(rows) == ["A1", "A2", "A3", "A4"]
    assert rows["A1"]["issue_cluster"] == rows["A2"]["issue_cluster"] == rows["A3"]["issue_cluster"]
    assert rows["A1"]["hotspot"] != rows["A2"]["hotspot"]
    assert rows["A3"]["repeat_of"] == "A1" and rows["A2"]["repeat_of"] == ""
    # The petitioner's identity never reaches the output.
    assert "张三" not in text and "13800000001" not in text


def test_explicit_columns_and_summary(tmp_path):
    path = tmp_path / "msgs.csv"
    _write(path, ["留言编号", "留言主题", "留言详情"], [
        ["m1", "魅力之城小区搅拌站噪音扰民", "搅拌站每天晚上施工到凌晨"],
        ["m2", "魅力之城小区搅拌站夜间施工", "噪音扰民，居民无法休息"],
    ])
    out, summary = tmp_path / "o.csv", tmp_path / "s.csv"
    code = main(["cluster", "--input", str(path), "--id-col", "留言编号", "--text-col", "留言主题,留言详情",
                 "--output", str(out), "--summary", str(summary)])
    assert code == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0]["hotspot"] == rows[1]["hotspot"]
    issues = list(csv.DictReader(summary.read_text(encoding="utf-8-sig").splitlines()))
    assert len(issues) == 1 and issues[0]["letters"] == "2"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--id-col", "编码"], "找不到编号列 '编码'"),
        (["--text-col", "正文"], "找不到内容列 '正文'"),
        (["--threshold", "2"], "issue_threshold"),
    ],
)
def test_errors_are_one_line(register, tmp_path, capsys, args, message):
    code = main(["cluster", "--input", str(register), "--output", str(tmp_path / "o.csv"), *args])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_unsupported_file_type(tmp_path, capsys):
    bad = tmp_path / "reg.pdf"
    bad.write_text("x")
    assert main(["cluster", "--input", str(bad), "--output", str(tmp_path / "o.csv")]) == 2
    assert "'.pdf'" in capsys.readouterr().err
