"""How a letter's own text says a matter word the lexicon folded (建房审批 -> 宅基地), for explanations."""

from __future__ import annotations

import functools

from planner.analysis.textmine import synonyms


@functools.lru_cache(maxsize=1)
def _variants_of() -> dict[str, tuple[str, ...]]:
    """Canonical matter word -> its variants, longest first (宅基地 -> 批地建房, 建房审批 ...)."""
    out: dict[str, list[str]] = {}
    for variant, canonical in synonyms().items():
        out.setdefault(canonical, []).append(variant)
    return {k: tuple(sorted(v, key=lambda w: (-len(w), w))) for k, v in out.items()}


def as_written(term: str, text: str) -> str:
    """How a letter's own text says a matter word: ``term`` itself when written, else the variant the lexicon folded
    into it (``建房审批`` for 宅基地), else ``""`` (an explanation must never claim a word the letter lacks)."""
    if not term or term in text:
        return term
    return next((v for v in _variants_of().get(term, ()) if v in text), "")


def shown_term(term: str, text_a: str, text_b: str) -> str:
    """A shared matter word as an explanation shows it: ``宅基地`` when both letters write it, else with each
    letter's own words, ``宅基地（原文：建房审批 / 宅基地）``."""
    wa, wb = as_written(term, text_a), as_written(term, text_b)
    if wa == term and wb == term:
        return term
    said = " / ".join(dict.fromkeys(w or "同义词" for w in (wa, wb)))
    return f"{term}（原文：{said}）"
