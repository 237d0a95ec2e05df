"""Identities inside free text are masked by pattern and by name; user text shown as Markdown stays text."""

from __future__ import annotations

import re

import pytest

from planner.office.privacy import ID_PLACEHOLDER, mask_free_text, md_text, plain_cell, safe_cell

LETTER = (
    "我叫张三丰，身份证号350602199001011234，电话13812345678（也可打 138 1234 5678 或 +86 139-1234-5678），"
    "家里座机0596-2345678。旧证号350602900101123。张三丰反映村干部收取桉树砍伐保证金 20000 元，编号 ZZXF-2026-0001。"
)


def test_ids_phones_and_the_letters_own_names_are_masked() -> None:
    out = mask_free_text(LETTER, ["张三丰"])
    for secret in ("350602199001011234", "350602900101123", "13812345678", "1234 5678", "1234-5678", "2345678",
                   "张三丰"):
        assert secret not in out
    assert out.count(ID_PLACEHOLDER) == 2
    assert "张**" in out and "138****5678" in out
    # What the visit needs survives: the matter, the amount, the case number.
    assert "桉树砍伐保证金 20000 元" in out and "ZZXF-2026-0001" in out


def test_a_reader_allowed_to_see_identity_still_never_gets_id_numbers() -> None:
    out = mask_free_text(LETTER, ["张三丰"], keep_names=True, keep_phones=True)
    assert "张三丰" in out and "13812345678" in out
    assert "350602199001011234" not in out and ID_PLACEHOLDER in out


@pytest.mark.parametrize("text", ["", None])
def test_empty_text(text) -> None:
    assert mask_free_text(text, ["张三"]) == ""


@pytest.mark.parametrize(
    "value",
    ["![m](http://x/y.png)", "[点我](http://x)", "<img src=http://x/y.png>", ":red[醒目]", "$\\href{x}{y}$",
     "# 标题\n* 列表", "`code`", "**粗**_斜_~删~", "www.example.com", ":material/home:"],
)
def test_md_text_escapes_every_markdown_and_html_special(value: str) -> None:
    out = md_text(value)
    for ch in "![]<>$*`_~":
        # every special character is preceded by a backslash
        assert all(out[i - 1] == "\\" for i, c in enumerate(out) if c == ch), (ch, out)
    assert "\n" not in out and not re.search(r"(?<!\\)://", out) and "www." not in out
    assert not re.search(r"(?<!\\):[a-z]", out)


@pytest.mark.parametrize(("value", "shown"), [("- 列表", "\\- 列表"), ("1. 第一", "1\\. 第一"), ("# 标题", "\\# 标题"),
                                              ("ZZ2026-0101 (x.xlsx) 12:30", "ZZ2026-0101 (x.xlsx) 12:30")])
def test_md_text_line_start_syntax_and_ordinary_punctuation(value: str, shown: str) -> None:
    assert md_text(value) == shown


@pytest.mark.parametrize("value", ["=1+2", "+SUM(A1)", "-1", "@cmd", "\tx", "\rx", "＝1", "plain", "'=x"])
def test_plain_cell_undoes_safe_cell(value: str) -> None:
    assert plain_cell(safe_cell(value)) == value


@pytest.mark.parametrize("value", ["见 http://evil.example/a", "HTTPS://EVIL.EXAMPLE", "www.evil.example",
                                   "写信到 foo@evil.example", "=HYPERLINK(\"http://evil.example\",\"x\")"])
def test_no_autolink_survives_md_text(value: str) -> None:
    """Walk E: a backslash does not stop GFM's autolinks (checked in Chromium: http\\://x, www\\.x and a@b.c all
    became links on an officer's 行程). The colon, dot and @ that make one are shown full-width."""
    out = md_text(value)
    assert not re.search(r"(?i)[a-z]\\?://|www\\?\.|[\w.+-]@[\w-]+\.", out), out
    assert out.replace("：", ":").replace("．", ".").replace("＠", "@").replace("\\", "") == value


def test_direction_overrides_and_invisible_characters_are_not_shown() -> None:
    """Walk E: ‮RTL文本‬ displayed reversed (本文LTR), in the app and in the offline map."""
    from planner.office.privacy import escape_html

    value = "\u202eRTL文本\u202c 零\u200b宽\ufeff"
    assert md_text(value) == "RTL文本 零宽" and escape_html(value) == "RTL文本 零宽"
