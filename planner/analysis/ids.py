"""Issue group ids (I0001, I0002 ...) and the aliases merges leave behind."""

from __future__ import annotations

import re

_ISSUE_PREFIX = "I"


def _issue_id(number: int) -> str:
    return f"{_ISSUE_PREFIX}{number:04d}"


def _id_number(cluster_id: str) -> int:
    m = re.fullmatch(rf"{_ISSUE_PREFIX}(\d+)", cluster_id)
    return int(m.group(1)) if m else 0


def _resolve_alias(aliases: dict[str, str], cid: str) -> str:
    """The group ``cid`` now is, following the aliases merges left (a cycle stops where it began)."""
    seen = set()
    while cid in aliases and cid not in seen:
        seen.add(cid)
        cid = aliases[cid]
    return cid
