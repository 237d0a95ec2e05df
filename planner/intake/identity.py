"""Chinese resident ID numbers (GB 11643): the check character, used by the importer and the demo generator."""

from __future__ import annotations

import re


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a Chinese resident ID number (GB 11643)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def id_number_valid(id_number: str) -> bool:
    """True when an 18-character resident ID number has a valid check character."""
    s = str(id_number).strip().upper()
    return bool(re.fullmatch(r"\d{17}[\dX]", s)) and id_check_digit(s[:17]) == s[17]
