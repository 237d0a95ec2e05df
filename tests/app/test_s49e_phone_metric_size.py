"""Walk W16: on a 390-px phone the headline figures of 关联分析 (and 首页) read as 16-px body text. static/phone.css
sets every <p> and markdown container in the main column to 16 px, and st.metric draws its number as markdown; a
figure keeps a figure's size (a rule for stMetricValue, of higher specificity, after the 16-px rule)."""

from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "static" / "phone.css"


def _phone_rules() -> list[tuple[str, str]]:
    text = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    phone = text[text.index("@media (max-width: 640px)"):]
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", phone.split("{", 1)[1])]


def test_a_metric_value_keeps_a_figures_size_on_a_phone() -> None:
    rules = _phone_rules()
    body_text = next(i for i, (sel, body) in enumerate(rules) if "16px" in body and ":is(p," in sel)
    figure = [(i, body) for i, (sel, body) in enumerate(rules) if "stMetricValue" in sel and "p" in sel]
    assert figure, "no phone rule for a metric's number: it is drawn at 16 px like body text"
    i, body = figure[-1]
    size = int(re.search(r"font-size:\s*(\d+)px\s*!important", body).group(1))
    assert i > body_text and size >= 28, (i, body_text, body)
