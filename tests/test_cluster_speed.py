"""The speed-ups of planner.analysis give exactly what the plain computation gives (issue 18's speed work).

Each shortcut (jieba cut block by block with a cache, issues reused by ``update`` when their letters did not
change, the numpy filter of the merge pass, the early stop of the assignment) is compared with the plain way on
the same input; none of these tests times anything.
"""

import csv
import dataclasses
import datetime as dt
import random
from pathlib import Path

from planner.analysis import Decision, Letter, analyse, apply_decision, update
from planner.analysis.clustering import _derive
from planner.analysis.pairs import _cross_links
from planner.analysis.textmine import _cut, normalise, tokenizer

DATA = Path(__file__).parent / "data"


def _letters(name):
    with (DATA / name).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [
        Letter(r["id"], r["text"], dt.date.fromisoformat(r["received_date"]), address=r["address"],
               petitioner_key=r["petitioner_key"])
        for r in rows
    ]


def test_block_cut_equals_jieba_on_the_whole_text():
    texts = [lt.text for lt in _letters("cluster_wording_dev.csv")] + [
        "ABC公司 2024年３月，每亩500元！！请求上级调查处理。\n新的一行 K9县 A5区 e-mail: a.b@c.cn 58车贷",
        "诏安县建设乡某村村干部收取好处费，12345热线答复：已转办。",
        "",
    ]
    for text in texts:
        norm = normalise(text)
        assert _cut(norm) == tokenizer().lcut(norm), text
        assert _cut(norm) == tokenizer().lcut(norm)  # the second call comes from the cache


def _fresh(result):
    """The result derived again from its assignment with nothing reused."""
    state = dataclasses.replace(result._state, derived={})
    return _derive(result.letters, state, result.issue_of, result.decisions, result.options)


def _same(a, b):
    assert a.issues == b.issues
    assert a.hotspots == b.hotspots
    assert a.repeats == b.repeats
    assert a.hotspot_of == b.hotspot_of
    assert a.repeat_of == b.repeat_of


def test_update_and_decisions_reuse_only_unchanged_issues():
    letters = _letters("cluster_wording_dev.csv") + _letters("cluster_dev.csv")
    first = analyse(letters[:40])
    later = update(first, letters[40:])
    _same(later, _fresh(later))
    issues = [c for c in later.issues if c.size >= 2]
    merged = apply_decision(later, Decision("merge", source=issues[0].cluster_id, target=issues[1].cluster_id))
    _same(merged, _fresh(merged))
    lone = issues[2].case_nos[0]
    detached = apply_decision(merged, Decision("detach", letter_ids=(lone,)))
    _same(detached, _fresh(detached))
    assert detached.issue_of[lone] != merged.issue_of[lone]


def _plain_cross_links(assigned, nbrs, frozen):
    links = []
    for i, row in nbrs.items():
        for j, sim in row:
            ci, cj = assigned.get(i), assigned.get(j)
            if ci and cj and ci != cj and ci not in frozen and cj not in frozen:
                links.append((-sim, min(i, j), max(i, j)))
    return [(i, j, -neg) for neg, i, j in sorted(set(links))]


def test_cross_links_equal_the_plain_loop():
    rng = random.Random(3)
    n = 300
    assigned = {i: f"I{rng.randrange(40):04d}" for i in range(n) if rng.random() < 0.95}
    sims = [0.1, 0.25, 0.5, 0.75]  # few values: many ties, ordered by i then j
    nbrs = {i: [(j, rng.choice(sims)) for j in rng.sample(range(n), 8)] for i in range(n)}
    nbrs[5] = nbrs[5] + nbrs[5][:2]  # a pair listed twice is taken once
    frozen = {"I0003", "I0007"}
    got = _cross_links(assigned, nbrs, frozen)
    assert got == _plain_cross_links(assigned, nbrs, frozen)
    assert got and all(assigned[i] != assigned[j] for i, j, _s in got)
    assert _cross_links({}, {}, set()) == []


def test_explain_shortcuts_equal_the_plain_computation():
    """The review queue explains thousands of pairs: the word cosine is read from the CSR arrays and the IDF table is
    made once per vectorizer; both must give what the plain sparse product and ``vec.idf_`` give."""
    import numpy as np

    from planner.analysis.clustering import _row_dot
    from planner.analysis.evidence import _idf_lookup

    result = analyse(_letters("cluster_wording_dev2.csv"))
    state = result._state
    m = state.matrix
    rng = random.Random(3)
    for _ in range(500):
        i, j = rng.randrange(m.shape[0]), rng.randrange(m.shape[0])
        assert _row_dot(m, i, j) == float(m[i].multiply(m[j]).sum())
    assert any(_row_dot(m, i, i + 1) > 0 for i in range(m.shape[0] - 1))
    idf = _idf_lookup(state.vectorizer)
    assert idf is _idf_lookup(state.vectorizer)  # made once
    plain = state.vectorizer.idf_
    assert idf == {t: float(plain[k]) for t, k in state.vectorizer.vocabulary_.items()}
    assert np.isfinite(list(idf.values())).all()
