"""多发问题: the same complaint told alike at several places, each place's own matter (walks W19, W21).

The office's rule keeps a complaint told alike at other places (each village's own cadres: X村村集体鱼塘低价发包给
村主任亲戚) apart: one pattern with other slots is each place's own matter (linking._rules: 同一格式的反映、不同地点).
The groups stay so. What a leader needs besides them is the pattern itself: the same complaint from 26 villages in 10
counties points at a weakness of the system (监察建议), though no two of those letters are one matter.

:func:`recurring` finds it in an analysis already made. Two letters are *told alike* when the cosine of their
matter words, places, persons and figures left out, is at least :data:`TOLD_ALIKE` (0.6). A pattern is one letter (the
earliest) and every later letter told alike with it, naming the same core matter words (or one more that elaborates
it: 没有招标 beside 发包) and no other matter word (鱼塘 / 林地 keeps two patterns apart; a framing word such as 未果 or
介入 that letters of other matters use too does not); a letter is compared with the first letter of each pattern, never
with another member, so that a pattern cannot drift from one complaint to another. Patterns at ``min_places`` places or
more are listed, those whose letters the engine holds as one matter (one group) left out: 同类问题 already shows them.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.preprocessing import normalize

from planner.analysis.clustering import ClusterResult
from planner.analysis.evidence import _county_name
from planner.analysis.linking import _order
from planner.analysis.summaries import _hotspot_label
from planner.analysis.textmine import matter_words

#: Least number of places a pattern is listed at (two villages writing alike may be chance; three are a pattern).
MIN_PLACES = 3
#: Least word cosine (matter words, places, persons and figures left out) of a letter with a pattern's first letter.
#: Lower than the engine's :data:`SAME_WORDING` (0.8, for joining letters into one matter): a pattern joins nothing,
#: its letters must name the same core matter and no other matter word, and writers tell one complaint in their own
#: words (walk W28: 集体鱼塘低价发包给村主任的亲戚 with and without 没有招标 scored 0.70; demo seed 7 at 0.6: 45
#: patterns, each one complaint, against 34 at 0.8).
TOLD_ALIKE = 0.6
#: Or told in other words with the same meaning (walk W29: 被低价承包给 / 以很低的价格发包给 / 低价发包给…亲属, word
#: cosines 0.22-0.44, meaning 0.59-0.94 on the centred vectors of planner.analysis.semantic): a meaning cosine at
#: least this, with a word cosine of at least :data:`_SOME_WORDS` and the same matter words as above.
MEANT_ALIKE = 0.6
_SOME_WORDS = 0.15
#: Letters whose texts give a pattern's words (their longest common part, places left out).
_LABEL_LETTERS = 12
_EDGE = "，。；：、,.;:!！?？ \n\t"
#: What stands for the words a pattern's letters do not share (a sum, a name), and the longest label shown.
_GAP, _LABEL_CHARS = "…", 48
_BLOCK = 512
#: Letters of a pattern a later letter is compared with: its first and the next ones to join.
_REPRESENTATIVES = 4

#: How a pattern is to be read, the same for every one (the page says it once).
READING = ("各地各自的问题、反映内容相同：同一种问题出自多个地点，每个地点的信件仍是该地自己的问题，不并为一个问题"
           "（同一格式的反映、不同地点，各地各自的问题）。同一问题在多地出现，可据此分析制度或监管上的共性漏洞，"
           "提出监察建议。")


@dataclass(frozen=True, slots=True)
class PatternLetter:
    """One letter of a pattern: where it is from and the issue group it stays in."""

    letter_id: str
    place: str
    county: str
    issue_id: str
    issue_label: str


@dataclass(frozen=True, slots=True)
class Pattern:
    """One complaint told alike at several places.

    Attributes
    ----------
    label
        The words the letters share, places left out (村集体鱼塘低价发包给村主任亲戚).
    letters
        Its letters, earliest first.
    places, counties
        The places (village, else town, else county), in the order of their first letter; the counties in the
        city's order (芗城区 … 华安县).
    matter
        The core matter words every letter names (发包), possibly none.
    similarity
        The least word cosine of a letter with the letter of the pattern it was found alike with (its first letter
        or one of the next to join).
    why
        Why the letters were judged alike, in Chinese.
    """

    label: str
    letters: tuple[PatternLetter, ...]
    places: tuple[str, ...]
    counties: tuple[str, ...]
    matter: tuple[str, ...]
    similarity: float
    why: str

    @property
    def size(self) -> int:
        return len(self.letters)

    @property
    def issues(self) -> tuple[str, ...]:
        """The issue groups its letters stay in, each once."""
        return tuple(dict.fromkeys(pl.issue_id for pl in self.letters))


def recurring(
    result: ClusterResult, *, within: Collection[str] | None = None, min_places: int = MIN_PLACES
) -> tuple[Pattern, ...]:
    """The complaints told alike at ``min_places`` places or more among the letters of ``result`` (only those in
    ``within``, letter ids, when given), most counties first, then most letters. Reads the analysis, changes nothing.
    """
    state, letters = result._state, result.letters
    count = min(len(letters), state.matrix.shape[0], len(state.mined), len(state.place_info))
    chosen = [
        i for i in _order(letters[:count])
        if (within is None or letters[i].letter_id in within) and not letters[i].outside and _place_key(state, i)
    ]
    if len(chosen) < min_places:
        return ()
    cores = [frozenset(state.mined[i].cores) for i in chosen]
    tokens = [frozenset(state.mined[i].tokens) for i in chosen]
    kinds: dict[str, set[frozenset[str]]] = defaultdict(set)  # word -> the core words of the letters using it
    for c, toks in zip(cores, tokens, strict=True):
        for t in toks:
            kinds[t].add(c)
    matter = matter_words()
    # Where each letter is, as written: a piece of a place's name the gazetteer did not know (田螺 of 田螺坑村) is no
    # matter word.
    wheres = [" ".join((letters[i].address, letters[i].village, letters[i].town, *state.place_info[i].names.values()))
              for i in chosen]
    framing = {t for t, ks in kinds.items() if len(ks) >= 2 and t not in matter}

    def own(a: int, b: int) -> frozenset[str]:  # a's words b lacks, framing and pieces of a's place names left out
        return frozenset(t for t in tokens[a] - tokens[b] - framing if t not in wheres[a])

    def fits(a: int, b: int) -> bool:
        """Positions in chosen: one complaint. The same core matter words, or one more that elaborates it
        (…发包给村主任的亲戚，没有招标: 招标 beside 发包), and no other matter word of its own; other words of their own
        (群众意见很大, 真正困难的没评上) are how each writer tells it (walk W28: 没有招标 kept 南山村 out)."""
        extra = cores[a] ^ cores[b]  # a letter naming no core word may meet one naming one (被低价承包给: none)
        if len(extra) > 1 or (extra and cores[a] and cores[b] and not cores[a] & cores[b]) or not tokens[a] - framing:
            return False
        return not ((own(a, b) | own(b, a)) & matter) - extra

    matrix = _without_place_pieces(state, chosen, wheres, min_places)
    # A pattern is compared through its first letter and the first few that joined it (walk W29: the earliest of four
    # villages' letters wrote 承包 where the other three wrote 发包), each within one core word of the first letter, so
    # that it cannot drift from one complaint to another.
    reps: list[int] = []  # positions in chosen
    owner: dict[int, int] = {}  # representative -> the first letter of its pattern
    members: dict[int, list[tuple[int, float]]] = {}
    sem = state.sem[chosen] if state.sem is not None and state.sem.shape[0] >= count else None
    for start in range(0, len(chosen), _BLOCK):
        block = matrix[start : start + _BLOCK]
        before = len(reps)
        # Told alike with a pattern begun before this block, then with one begun in it, in date order.
        old = (block @ matrix[reps].T).toarray() if reps else None
        inner = (block @ block.T).toarray()
        meant = sem[start : start + _BLOCK] @ sem[reps].T if sem is not None and reps else None
        inner_meant = sem[start : start + _BLOCK] @ sem[start : start + _BLOCK].T if sem is not None else None
        for r in range(block.shape[0]):
            pos = start + r
            found: list[tuple[float, int]] = []
            if old is not None:
                found = [(float(old[r, k]), reps[k]) for k in np.flatnonzero(_alike(old[r], meant, r)).tolist()]
            here = [s - start for s in reps[before:]]
            if here:
                alike = _alike(inner[r, here], None if inner_meant is None else inner_meant[:, here], r)
                found += [(float(inner[r, here[k]]), reps[before + k]) for k in np.flatnonzero(alike).tolist()]
            best = next(((v, s) for v, s in sorted(found, reverse=True)
                         if fits(s, pos) and len(cores[owner[s]] ^ cores[pos]) <= 1), None)
            if best is None:
                reps.append(pos)
                owner[pos] = pos
                members[pos] = [(pos, 1.0)]
            else:
                seed = owner[best[1]]
                members[seed].append((pos, best[0]))
                if len(members[seed]) <= _REPRESENTATIVES:
                    reps.append(pos)
                    owner[pos] = seed
    labels = {c.cluster_id: c.label for c in result.issues}
    out = []
    for seed, got in members.items():
        if len(got) < min_places:
            continue
        idx = [chosen[p] for p, _s in got]
        keys = dict.fromkeys(_place_key(state, i) for i in idx)
        if len(keys) < min_places:
            continue
        issue_ids = {result.issue_of.get(letters[i].letter_id, "") for i in idx}
        if len(issue_ids) < 2:
            continue  # the engine holds them as one matter: 同类问题 shows it
        out.append(_pattern(result, idx, [s for _p, s in got], labels, sorted(cores[seed])))
    return tuple(sorted(out, key=lambda p: (-len(p.counties), -p.size, -len(p.places), p.label)))


def _alike(words: np.ndarray, meant: np.ndarray | None, r: int) -> np.ndarray:
    """Which of a letter's word cosines ``words`` (with the letters compared) are told alike: the words alone
    (:data:`TOLD_ALIKE`), or some words and the meaning (``meant[r]``, :data:`MEANT_ALIKE`)."""
    alike = words >= TOLD_ALIKE
    if meant is not None:
        alike |= (words >= _SOME_WORDS) & (meant[r] >= MEANT_ALIKE)
    return alike


def _without_place_pieces(state, chosen: Sequence[int], wheres: Sequence[str], rare: int):
    """The letters' word vectors with the words that are pieces of their own place's name (腊洋 of 腊洋村, a village
    the gazetteer lacks: the only word of its kind in the register) taken out, normalised again."""
    matrix = state.matrix[chosen].tocsr().astype(np.float32, copy=True)
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    rare_at = np.flatnonzero(df[matrix.indices] < rare)
    if len(rare_at):
        words = state.vectorizer.get_feature_names_out()
        rows = np.searchsorted(matrix.indptr, rare_at, side="right") - 1
        for at, r in zip(rare_at.tolist(), rows.tolist(), strict=True):
            if words[matrix.indices[at]] in wheres[r]:
                matrix.data[at] = 0.0
        matrix.eliminate_zeros()
    return normalize(matrix)


def _place_key(state, i: int) -> tuple[str, str]:
    """A letter's place: its village with its town (two villages of one name at two towns are two places), else its
    town, else its county; empty when it names none."""
    vil, towns, counties, _names = state.place_info[i]
    if vil:
        return vil[0], towns[0] if towns else ""
    if towns:
        return "", towns[0]
    if counties:
        return "", "county:" + counties[0]
    return ()


def _county(state, i: int, letter) -> str:
    codes = [c for c in state.place_info[i].counties if not c.startswith("n:")] or state.place_info[i].counties
    return _county_name(codes[0]) if codes else (letter.county or "")


def _pattern(result: ClusterResult, idx: Sequence[int], sims: Sequence[float], labels: dict[str, str],
             matter: Sequence[str]) -> Pattern:
    state, letters = result._state, result.letters
    names: dict[tuple, str] = {}
    for i in idx:
        names.setdefault(_place_key(state, i), _hotspot_label(letters[i], state.place_info[i]))
    twice = {n for n in names.values() if list(names.values()).count(n) > 1}
    rows, counties, places = [], [], []
    for i in idx:
        lt = letters[i]
        place = names[_place_key(state, i)]
        if place in twice and lt.town and not place.startswith(lt.town):
            place = lt.town + place  # 新林村 at two towns: each with its town
        county = _county(state, i, lt)
        issue = result.issue_of.get(lt.letter_id, "")
        rows.append(PatternLetter(lt.letter_id, place, county, issue, labels.get(issue, issue)))
        places.append(place)
        if county:
            counties.append(county)
    label = _label(result, idx) or "、".join(matter)
    least = min(sims)
    said = (f"除地名、人名外说法几乎相同：每封与本组最早几封之一的用词相似度在 {least:.2f} 以上"
            f"（{TOLD_ALIKE:.1f} 起算作同一说法）") if least >= TOLD_ALIKE else (
        f"除地名、人名外说法相同或意思相同：每封与本组最早几封之一的用词相似度在 {TOLD_ALIKE:.1f} 以上"
        f"（{TOLD_ALIKE:.1f} 起算作同一说法），或换了说法但意思相同（语义相似度 {MEANT_ALIKE:.1f} 以上，"
        f"用词相似度最低 {least:.2f}）")
    why = (said
           + (f"，核心事项相同（{'、'.join(matter)}）" if matter else "")
           + "，没有哪一封多出或换了别的事项用词；但出自不同地点，按规定属各地各自的问题，不并为一个问题。")
    order = _county_order()  # as 同类问题 lists them (芗城区 … 华安县), not in the letters' order
    counties = sorted(dict.fromkeys(counties), key=lambda c: (order.get(c, len(order)), c))
    return Pattern(label, tuple(rows), tuple(dict.fromkeys(places)), tuple(counties),
                   tuple(matter), round(least, 2), why)


@functools.cache
def _county_order() -> dict[str, int]:
    import geodata

    return {c.name: i for i, c in enumerate(sorted(geodata.counties(), key=lambda c: c.code))}


def _label(result: ClusterResult, idx: Sequence[int]) -> str:
    """The longest part the first letters' texts share once their places are taken out."""
    state, letters = result._state, result.letters
    texts = []
    for i in idx[:_LABEL_LETTERS]:
        lt, info = letters[i], state.place_info[i]
        places = {*info.names.values(), lt.village, lt.town, lt.county,
                  *(p.name for p in state.mined[i].places)}
        text = lt.text
        for name in sorted((p for p in places if p and len(p) >= 2), key=len, reverse=True):
            text = text.replace(name, "")
        texts.append(re.sub(r"\s+", " ", text))
    # Every stretch the texts share, in order, the gaps (a sum, a name, a year) as …: "一名特困供养人员已去世" alone or
    # "00元，比周边低很多…" (the single longest stretch, cut inside a number) had named the demo's patterns.
    common = texts[0]
    for text in texts[1:]:
        blocks = difflib.SequenceMatcher(None, common, text, autojunk=False).get_matching_blocks()
        common = _GAP.join(common[b.a : b.a + b.size] for b in blocks if b.size >= 2)
    parts = [p.strip(_EDGE + "0123456789") for p in common.split(_GAP)]
    label = re.sub(f"(?:{_GAP})+", _GAP, _GAP.join(p for p in parts if len(p) >= 2)).strip(_EDGE + _GAP)
    if len(label) > _LABEL_CHARS:  # a whole clause or more, cut at a clause's end where one is near
        cut = max(label.rfind(m, 0, _LABEL_CHARS) for m in "，。；" + _GAP)
        label = label[: cut if cut >= _LABEL_CHARS // 2 else _LABEL_CHARS].strip(_EDGE + _GAP) + _GAP
    return label if len(label.replace(_GAP, "")) >= 4 else ""
