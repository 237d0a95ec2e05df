"""A matter the lexicon does not name, learned from the register: one topic word and one meaning at two places.

The word rules link letters at different places through the lexicon's matters and programmes (低保, 公益岗, 以工代赈);
a register brings matters nobody listed (农家书屋, 公益电影, 寄宿生补助). Two letters at different places are one
such matter when they share a topic word the register itself teaches (a noun written in a few letters, rare in
Chinese at large; :func:`planner.analysis.linking._anchor_words`) that is no word of the lexicon, and their meaning
vectors are close (:data:`LEARNED_CLOSENESS`, higher than a link by meaning alone needs: the shared word is the
only evidence the words give).

Not when both letters name matter words of the lexicon (its rules judged those: 低保 at two villages), when both
letters name different persons, when a letter names its village and a village cadre or body acting there (that
village's own matter, run 55), or when the words found a firm reason (a leader's refusal, a template with other
slots, another kind of unit). Cadres acting at villages the letters do not name do not keep them apart here: one
programme abused at many villages is one matter for the office (run 66).
Joining a group also needs closeness on average to its letters (:func:`planner.analysis.meaning.fits`).

Chosen on the dev sets (run 81, benchmarks/clustering_results.md): among pairs of letters at different places that
share such a word, closeness 0.45 and more held about two same-matter pairs for each other pair, nearly all the
other pairs being lexicon matters (低保, 污水) each place has of its own, which the lexicon condition keeps out.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from planner.analysis.evidence import _LOOSE_CORES, Letter
from planner.analysis.meaning import closeness
from planner.analysis.textmine import core_terms, programme_terms

#: Closeness of meaning two letters sharing a learned topic word need.
LEARNED_CLOSENESS = 0.45
#: Refusals of the word rules a learned topic may overrule: they say only that the words found too little.
_WEAK_REFUSALS = (
    "不同地点且内容相似度不足", "不同地点且缺少共同的具体证据", "村干部或村级事务", "一方地点不明且共同证据不足",
    "同类单位但缺少共同的具体事项",
)


@functools.lru_cache(maxsize=1 << 14)
def _unlisted(tok: str) -> bool:
    """A word that is no matter or programme word of the lexicon, nor part of one, nor holds one (书屋, not 低保)."""
    known = core_terms() | programme_terms()
    return tok not in known and not any(tok in k or k in tok for k in known if len(k) >= 2)


def learned_topic(state, letters: Sequence[Letter], i: int, j: int, why: str, rel: str, topic_words, options) -> str:
    """The reason letters ``i`` and ``j`` (at different places, refused by the words for ``why``) are one matter
    through a topic word learned from the register, or "". ``topic_words(state, i, n, options)`` gives a letter's
    topic words (the gate's cached :func:`planner.analysis.linking._anchor_words`)."""
    if rel == "village" or state.sem is None or not why.startswith(_WEAK_REFUSALS):
        return ""
    n = max(1, len(letters))
    shared = topic_words(state, i, n, options) & topic_words(state, j, n, options)
    learned = sorted(t for t in shared if _unlisted(t))
    if not learned:
        return ""
    s = closeness(state, i, j)
    if s < LEARNED_CLOSENESS:
        return ""
    ca = tuple(x for x in state.mined[i].cores if x not in _LOOSE_CORES)
    cb = tuple(x for x in state.mined[j].cores if x not in _LOOSE_CORES)
    if ca and cb:
        return ""  # both name matters of the lexicon (低保): its rules have judged them
    ea, eb = state.evidence[i], state.evidence[j]
    if any(state.place_info[k].villages and (ev.cadre or ev.local) for k, ev in ((i, ea), (j, eb))):
        return ""  # a named village's cadre keeping the goods: that village's own matter (run 55)
    if ea.persons and eb.persons and not ea.persons & eb.persons and ea.text_persons and eb.text_persons:
        return ""
    return f"同一具体事项（登记簿中的共同事物：{'、'.join(learned[:3])}；语义相似度 {s:.2f}）"
