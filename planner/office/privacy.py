"""Masking of petitioners' personal fields and neutralising of text bound for spreadsheets and HTML."""

from __future__ import annotations

import html
import re

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def mask_name(name: str | None) -> str:
    """Mask a person's name, keeping the surname: 张三丰 -> 张**.

    Parameters
    ----------
    name
        The full name; None or blank gives an empty string.

    Returns
    -------
    str
        First character followed by one ``*`` per remaining character (at least one).
    """
    if not name or not name.strip():
        return ""
    name = name.strip()
    # Compound surnames are rare; keeping one character reveals less, which is the safe side.
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str | None) -> str:
    """Mask a phone number, keeping the first 3 and last 4 digits: 13812341234 -> 138****1234.

    Parameters
    ----------
    phone
        Any phone text; non-digits are dropped first.

    Returns
    -------
    str
        The masked number; short numbers keep only their last 2 digits.
    """
    if not phone:
        return ""
    digits = re.sub(r"\D", "", str(phone))
    if not digits:
        return ""
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    if len(digits) >= 7:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "*" * max(0, len(digits) - 2) + digits[-2:]


def mask_id_number(id_number: str | None) -> str:
    """Hide an ID number completely except its length class: field packets show no ID digits.

    Returns
    -------
    str
        ``"******************"`` style mask, or an empty string when there is none.
    """
    if not id_number or not str(id_number).strip():
        return ""
    return "*" * len(str(id_number).strip())


def safe_cell(value: object) -> object:
    """Neutralise a value for Excel/CSV so a cell can never be read as a formula.

    Strings starting with ``= + - @`` (or tab/CR, or their full-width forms) get a leading apostrophe,
    as OWASP recommends; numbers and dates pass through unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def escape_html(value: object) -> str:
    """Escape any value for HTML text or attribute context (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)
