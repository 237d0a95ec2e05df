"""Read a register's own category word (问题类别) into this product's categories, when that is well founded (walk W25).

A county register writes its own words: 财务, 土地, 工程, 民生 … Words of the vocabulary (names, codes, aliases:
``planner.vocabulary.CATEGORIES``) are read as their category. Any other word is read as a category only when

- the word is part of exactly one category's name or alias, or contains one (财务 of 村务财务, 土地 of 土地纠纷,
  村干部作风问题 of 干部作风) — the clerk's short form of it; or
- several categories share a part of the word (资金 of 扶贫资金 and 惠农资金, 村级财务, 扶贫工程) and the letter's own
  text is inferred (:func:`planner.intake.categorize.infer_category`) to one of them: the clerk's word and the text
  agree.

Otherwise (民生, 信访, 违纪违法 …) the word is kept as written: never silently forced into a category. A word read as
a category keeps the written word as its basis (``原文：财务``, :data:`planner.intake.categorize.WRITTEN_PREFIX`), so
people still read the office's word beside the category it is counted under.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.intake.categorize import TEXT_READING, WRITTEN_PREFIX, infer_category
from planner.vocabulary import CATEGORIES, category_name, known_category, normalized_term

#: Parts of a category word that name no kind of issue (土地问题, 财务类, 资金管理): they never decide a reading.
_GENERIC = ("问题", "管理", "方面", "领域", "事项", "情况", "工作", "相关", "其他", "其它", "类")
_CJK = re.compile(r"[\u4e00-\u9fff]")

#: Category name -> the words it is written as (name and aliases; 其他 reads no word by a part of it).
_WORDS: dict[str, tuple[str, ...]] = {t.name: tuple(normalized_term(w) for w in (t.name, *t.aliases))
                                      for t in CATEGORIES if t.code != "other"}


@dataclass(frozen=True, slots=True)
class CategoryReading:
    """A register's category cell as read: the category stored, and its basis (``原文：财务``; "" when the register
    wrote this product's own word or nothing, or kept its word as written)."""

    category: str
    reason: str = ""


def _core(word: str) -> str:
    """The word without generic parts at its ends (土地问题 -> 土地, 财务类 -> 财务)."""
    core = normalized_term(word)
    changed = True
    while changed:
        changed = False
        for g in _GENERIC:
            if core.endswith(g) and len(core) > len(g):
                core, changed = core[: -len(g)], True
    return core if core not in _GENERIC else ""


def _pairs(text: str) -> set[str]:
    """The two-character parts of ``text`` that are not generic."""
    return {text[i:i + 2] for i in range(len(text) - 1)} - set(_GENERIC)


def claimants(word: str) -> tuple[str, ...]:
    """Categories whose name or alias the word is part of, or that the word contains (财务 -> 村务财务)."""
    core = _core(word)
    if len(core) < 2 or not _CJK.search(core):
        return ()
    return tuple(c for c, words in _WORDS.items() if any(core in w or w in core for w in words))


def sharers(word: str) -> tuple[str, ...]:
    """Categories with a name or alias that shares a two-character part with the word (村级财务 -> 村务财务)."""
    core = _core(word)
    if len(core) < 2 or not _CJK.search(core):
        return ()
    mine = _pairs(core)
    return tuple(c for c, words in _WORDS.items() if any(mine & _pairs(w) for w in words))


def read_category(written: str, *texts: str) -> CategoryReading:
    """The category of a register's cell ``written`` (the letter's title, content … in ``texts``).

    Returns
    -------
    CategoryReading
        The vocabulary's category of a known word (basis ``原文：…`` when written otherwise than its name); the one
        category a short form belongs to; the category of the letter's text when the word's part is shared by it;
        else the word as written with no basis. An empty cell gives an empty category.
    """
    word = str(written or "").strip()
    if not word:
        return CategoryReading("")
    if known_category(word):
        name = category_name(word)
        return CategoryReading(name, "" if name == word else f"{WRITTEN_PREFIX}{word}")
    owners = claimants(word)
    if len(owners) == 1:
        return CategoryReading(owners[0], f"{WRITTEN_PREFIX}{word}")
    candidates = owners or sharers(word)
    if candidates:
        guess = infer_category(*texts)
        if guess.category in candidates:
            said = "".join(f"“{w}”" for w in guess.words[:3])
            return CategoryReading(guess.category,
                                   f"{WRITTEN_PREFIX}{word}{TEXT_READING}含{said}，读作{guess.category}）")
    return CategoryReading(word)
