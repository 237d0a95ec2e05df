"""Words that name a private person — a name, a given name, a nickname or kinship form of one — never a group's label.

A group's label names the matter and the place (低保、亲戚（田中村）), never whom it is about or who wrote (walk
W10: 低保、春花、亲戚 — 春花 the given name of the petitioner 李春花, whose full name the analysis had taken out of the
letters' words, and 秀英 another writer's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from planner.analysis.textmine import _matter_lexicon, _word_tags, tokenizer

#: Tags jieba gives a person's name (人名, 外国人名 and the like).
PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})
#: jieba's dictionary tags some everyday words as names too (洪水 1383, 玉米 1722, 青少年 1223, 师傅 1976); a name is
#: rarely that common in Chinese at large (玉兰 229, 老王 190, 海燕 87, 秀英 18).
_EVERYDAY = 1000
#: How people call one another by part of a name: 阿华, 老王, 小李; 春花姐, 华哥, 秀英婶.
_BEFORE = ("阿", "老", "小")
_AFTER = ("姐", "哥", "叔", "婶", "嫂", "伯", "姨", "妹", "弟")
_DOUBLE_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "司徒", "慕容", "令狐")
#: A name as a letter masks it (王某, 林某某, 陈XX): it has no given name to call anyone by.
_MASK = re.compile(r"[某XＸx×＊*]")
_CJK = re.compile(r"[\u4e00-\u9fff]{2,6}")


def name_words(names: Iterable[str]) -> frozenset[str]:
    """Every word that names one of ``names`` (persons' names, titles already taken off): the name, its given name
    (the name without its surname, two characters or more: 春花 of 李春花) and the forms people call one by — 阿, 老
    or 小 before, or 姐, 哥, 叔, 婶 … after the given name, its last character or the surname (春花姐, 阿华, 老李).

    Parameters
    ----------
    names
        Names as registers and letters write them; a masked name (王某) gives only itself.

    Returns
    -------
    frozenset of str
        Words of two characters or more.
    """
    out: set[str] = set()
    for raw in names:
        name = str(raw or "").strip()
        if not _CJK.fullmatch(name):
            continue
        out.add(name)
        if _MASK.search(name):
            continue
        surname = name[:2] if name[:2] in _DOUBLE_SURNAMES else name[0]
        given = name[len(surname):]
        if len(given) >= 2:
            out.add(given)
        for part in {p for p in (given, given[-1:], surname) if p}:
            out.update(b + part for b in _BEFORE)
            out.update(part + a for a in _AFTER)
    return frozenset(w for w in out if len(w) >= 2)


def names_a_person(term: str, words: frozenset[str], names: Iterable[str] = ()) -> bool:
    """True when ``term`` may not be a label word: it is one of ``words`` (:func:`name_words`), a piece of two
    characters or more of one of ``names`` (李春 of 李春花), or a word jieba tags as a person's name (秀英, 老王) —
    unless the word is everyday Chinese or the lexicon makes it a matter word (孤儿, 林权证)."""
    if term in words or (len(term) >= 2 and any(term in n for n in names)):
        return True
    if _word_tags().get(term) not in PERSON_TAGS or term in _matter_lexicon():
        return False
    tk = tokenizer()
    return tk.general_freq.get(term, tk.FREQ.get(term, 0)) < _EVERYDAY
