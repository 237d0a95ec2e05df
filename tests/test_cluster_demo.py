"""The demo register scored against its truth, through the ``cluster`` CLI (register file in, CSV out)."""

import csv
from collections import Counter, defaultdict

import pytest

from planner.analysis.metrics import score
from planner.cli import main
from planner.intake.demo import generate_letters, write_demo

DEPOSIT_COUNTIES = {"350628", "350627", "350629", "350605"}  # 平和, 南靖, 华安, 长泰


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    d = tmp_path_factory.mktemp("demo")
    reg, truth, out, summary = d / "r.xlsx", d / "t.csv", d / "clusters.csv", d / "issues.csv"
    write_demo(reg, seed=7, letters=600, truth=truth)
    code = main(["cluster", "--input", str(reg), "--output", str(out), "--summary", str(summary)])
    assert code == 0
    with truth.open(encoding="utf-8-sig") as fh:
        tr = {r["id"]: r for r in csv.DictReader(fh)}
    with out.open(encoding="utf-8-sig") as fh:
        pred = {r["id"]: r for r in csv.DictReader(fh)}
    with summary.open(encoding="utf-8-sig") as fh:
        issues = {r["issue_cluster"]: r for r in csv.DictReader(fh)}
    deposit = Counter(d.issue for d in generate_letters(seed=7, letters=600) if "桉树" in d.content)
    return tr, pred, issues, deposit.most_common(1)[0][0]


def test_every_letter_has_the_output_columns(demo):
    tr, pred, _issues, _deposit = demo
    assert set(pred) == set(tr)
    row = next(iter(pred.values()))
    assert list(row) == ["id", "issue_cluster", "hotspot", "repeat_of", "label"]
    assert all(r["issue_cluster"] and r["hotspot"].startswith(r["issue_cluster"] + "@") for r in pred.values())


def test_deposit_issue_is_one_systemic_cluster_of_exactly_four_counties(demo):
    tr, pred, issues, deposit_issue = demo
    ids = {i for i in tr if tr[i]["issue"] == deposit_issue}
    assert len(ids) >= 10
    clusters = {pred[i]["issue_cluster"] for i in ids}
    assert len(clusters) == 1
    cid = clusters.pop()
    members = {i for i, r in pred.items() if r["issue_cluster"] == cid}
    assert members == ids
    assert set(issues[cid]["counties"].split()) == DEPOSIT_COUNTIES
    assert issues[cid]["systemic"] == "是"
    assert "桉树" in issues[cid]["label"] or "保证金" in issues[cid]["label"]


def test_repeat_chains_are_recovered(demo):
    tr, pred, _issues, _deposit = demo
    true = {i: r["repeat_of"] for i, r in tr.items() if r["repeat_of"]}
    found = {i: r["repeat_of"] for i, r in pred.items() if r["repeat_of"]}
    exact = sum(found.get(i) == j for i, j in true.items())
    assert len(true) >= 10
    # Measured 19/19 exact and no false repeat (seed 7, 600 letters).
    assert exact / len(true) >= 0.95
    assert sum(true.get(i) == j for i, j in found.items()) / len(found) >= 0.9


def test_issue_scores_against_truth(demo):
    tr, pred, _issues, _deposit = demo
    ids = sorted(tr)
    s = score([tr[i]["issue"] for i in ids], [pred[i]["issue_cluster"] for i in ids])
    # Measured ARI 0.926, P 0.955, R 0.900 (seed 7, 600 letters; was ARI 0.076, P 0.040 when every letter of one
    # complaint pattern joined one cluster). Letters from one pattern at other places with other persons are
    # other matters; the deposit, the same company's works and a town-wide deduction are one each.
    assert s.precision >= 0.9 and s.recall >= 0.85 and s.ari >= 0.88, s
    h = score([tr[i]["issue"] for i in ids], [pred[i]["hotspot"] for i in ids])
    # Hotspots split the cross-place issues by place, so only their precision is comparable: measured 0.84.
    assert h.precision >= 0.8, h


def _wide_issues(seed: int, counties: int = 3) -> set[str]:
    """The true issues of a demo register whose letters span at least ``counties`` counties."""
    spans = defaultdict(set)
    for d in generate_letters(seed=seed, letters=600):
        spans[d.issue].add(d.county_code)
    return {k for k, v in spans.items() if len(v) >= counties}


def _check_systemic(members: dict[str, list[str]], truth: dict[str, str], wide: set[str]) -> None:
    """Every systemic cluster is (at least 90 %) one true issue that spans three counties, no two clusters are the
    same issue, and at most one such issue is without its cluster."""
    majorities = []
    for cid, ids in members.items():
        issue, n = Counter(truth[i] for i in ids).most_common(1)[0]
        assert issue in wide and n >= 0.9 * len(ids), (cid, Counter(truth[i] for i in ids))
        majorities.append(issue)
    assert len(set(majorities)) == len(majorities), majorities
    assert len(wide) - 1 <= len(majorities) <= len(wide), (sorted(majorities), sorted(wide))


def test_systemic_flags_fire_for_real_multi_county_matters_only(demo):
    tr, pred, issues, _deposit = demo
    systemic = {c for c, r in issues.items() if r["systemic"] == "是"}
    members = {c: [i for i, r in pred.items() if r["issue_cluster"] == c] for c in systemic}
    # The deposit, and each shipped programme whose money goes astray at villages of three counties (耕地地力保护补贴
    # docked, 农机购置补贴 claimed, 公益林 compensation kept ...: one matter each, planner.intake.demo
    # _ASTRAY_PROGRAMME). Before run 66 only the deposit (one true issue of 3+ counties).
    _check_systemic(members, {i: r["issue"] for i, r in tr.items()}, _wide_issues(7))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_seeds_score_and_flag_like_seed_7(tmp_path, seed):
    from planner.analysis import analyse
    from planner.commands.cluster import geocode_letters, letters_from_register

    reg, truth = tmp_path / "r.xlsx", tmp_path / "t.csv"
    write_demo(reg, seed=seed, letters=600, truth=truth)
    letters = geocode_letters(letters_from_register(reg))
    res = analyse(letters)
    with truth.open(encoding="utf-8-sig") as fh:
        tr = {r["id"]: r for r in csv.DictReader(fh)}
    ids = sorted(tr)
    s = score([tr[i]["issue"] for i in ids], [res.issue_of[i] for i in ids])
    # Measured (seeds 1, 2, 3): P 0.922/0.969/0.940, R 0.894/0.918/0.940, ARI 0.908/0.942/0.940.
    assert s.precision >= 0.88 and s.recall >= 0.85 and s.ari >= 0.88, s
    deposit = {i for i in ids if "桉树" in res.letter(i).text}
    assert len({res.issue_of[i] for i in deposit}) == 1
    cluster = res.cluster(res.issue_of[next(iter(deposit))])
    assert set(cluster.county_codes) == DEPOSIT_COUNTIES and cluster.systemic
    _check_systemic({c.cluster_id: [i for i in ids if res.issue_of[i] == c.cluster_id] for c in res.systemic()},
                    {i: r["issue"] for i, r in tr.items()}, _wide_issues(seed, res.options.systemic_counties))
    true_rep = {i: r["repeat_of"] for i, r in tr.items() if r["repeat_of"]}
    assert all(res.repeat_of.get(i) and res.issue_of[i] == res.issue_of[j] for i, j in true_rep.items())
