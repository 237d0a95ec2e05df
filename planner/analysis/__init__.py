"""Related complaints (关联分析): issue clusters across counties, hotspots, repeat letters, systemic flags.

Public API
----------
``analyse(letters, *, options=None, previous=None, decisions=(), previous_assignment=None, keep_previous=True)``
    Cluster :class:`Letter` objects (or :class:`~planner.domain.PetitionCase`) -> :class:`ClusterResult`.
    With ``previous=`` (a result) or ``previous_assignment=`` (letter id -> issue id, e.g. from the database)
    earlier letters keep their clusters and ids, decisions are replayed, new letters join or found clusters.
``update(previous, new_letters) -> ClusterResult``
    Add letters incrementally: existing ids never change; new letters join clusters or found new ones.
``apply_decision(result, Decision(...)) -> ClusterResult``
    Manual merge / split / detach of groups, ``move`` of single letters into a group (add or move), ``link`` /
    ``unlink`` of a pair from the review queue (关联分析 page); decisions are kept in ``result.decisions`` and
    respected by later ``update`` / ``analyse(previous=...)`` / ``analyse(decisions=...)`` runs.
``planner.analysis.review.near_misses(result) -> tuple[NearMiss, ...]``
    The review queue: letters almost linked, with the evidence for and the rule against, best first.
``planner.store.clusters``: ``recluster(session, cases)`` (keeps stored ids, replays stored decisions, saves),
    ``decide(session, result, decision, who=...)``, ``load_decisions``, ``load_assignment``, ``save_result``.
``planner.analysis.recurring.recurring(result, within=None) -> tuple[Pattern, ...]``
    多发问题: the same complaint told alike (word cosine >= alike.SAME_WORDING, places and persons left out, the same
    matter words) at 3 or more places, each place's own matter; read only, the groups are left as they are.
``planner.analysis.metrics.score(truth, predicted)``: ARI and pairwise precision/recall/F1; ``group_f1`` the F1 of
    each true group (hotspot) against its best predicted group.

A :class:`ClusterResult` has ``issues`` (同类问题, systemic first), ``hotspots`` (热点: same matter, same place),
``repeats`` (重复举报 chains) as :class:`~planner.domain.Cluster` objects, the maps ``issue_of``,
``hotspot_of``, ``repeat_of`` (letter id -> first letter of its chain), ``explain(a_id, b_id)`` (an
:class:`Explanation` with ``reasons()`` in Chinese), ``cluster(id)``, ``hotspots_of(issue_id)``, ``systemic()``,
``letters_of(id)``, ``mined(letter_id)`` and ``rows()`` (the CLI's CSV rows).

Modules: ``evidence`` (the :class:`Letter`, its features, evidence and places), ``linking`` (the same-matter gate
and the date-ordered assignment), ``summaries`` (hotspots, repeat chains, labels), ``clustering`` (results,
decisions, the public calls), ``review`` (near misses), ``textmine`` (segmentation and mining), ``metrics``
(scores against a truth).

How it works
------------
1. :func:`planner.analysis.textmine.mine` segments each letter (jieba + domain dictionary) and separates *matter*
   words from places, persons and amounts.
2. Matter words and their character bigrams are weighted by TF-IDF over the register (framing such as
   请求纪委监委核实查处 is common, so it weighs little). Letters are taken in date order; each joins the cluster
   of its most similar earlier neighbour *to which it is linked as the same matter*, else founds a new one;
   a last pass merges clusters joined by a link the date order missed. The link (``_linked``) is a gate:

   - same petitioner: linked when about the same place, saying it writes again (再次反映), or alike at all;
   - never linked: different core matter words (保证金 vs 好处费); different named persons (unless the
     letters share a kind of unit or company and the person only comes from the register's column: the
     站长 of each 林业站); different kinds of acting unit (自然资源所 vs 农业服务中心); at one place, a
     different rate (每亩80元 vs 每亩500元), figure or year;
   - same village/estate: ordinary similarity less ``place_bonus``, or a shared core word;
   - a pair a leader confirmed or rejected in the review queue: as decided;
   - never linked: one charge or fund word shared while each letter names its own object (桉树保证金 vs
     建房保证金);
   - same town: the same core words on both sides, a shared rare noun, ``town_threshold``, or a shared
     named company;
   - different places: the same named charge on the same object (桉树 + 保证金, 医保 + 代办费), whoever
     collects it (林业站, 村委会, 镇政府: synonyms such as 押金/抵押金, 采伐许可/砍伐证 are one word first);
     two shared core words naming a programme's money unless a village cadre is the actor; or
     ``cross_threshold`` and specific evidence: the same kind of unit or company plus a rare matter word
     (used by <= ``rare_df`` of the register) or two shared core words; otherwise three rare words; never
     when a letter accuses only village cadres or funds (its own village's matter), and never between two
     letters of one *pattern* (the same words in the same order with other places/persons: every
     "村干部优亲厚友评低保" letter is another matter; for a shared charge only near-identical wording).
   So a shared place alone, or a shared topic word alone, never links two letters. The gate's reason
   (``linking._verdict``) is what the review queue shows against a near miss.
3. Hotspots split each issue cluster by place: village code or named village/compound/road, else town,
   else county; letters naming no place join the issue's only place, else a 地点不明 hotspot.
4. Repeats: same petitioner key within an issue, or (no key) near-identical text at the same hotspot.
5. Systemic: an issue spanning ``systemic_counties`` (default 3) or more counties. On the demo registers
   (seeds 7, 1, 2, 3; 600 letters) issues score pairwise P >= 0.92, R >= 0.89, and only the deposit issue
   is flagged systemic (``benchmarks/clustering.py``).
"""

from planner.analysis.clustering import (
    ClusterOptions,
    ClusterResult,
    Decision,
    Explanation,
    Letter,
    analyse,
    apply_decision,
    update,
)

__all__ = [
    "ClusterOptions",
    "ClusterResult",
    "Decision",
    "Explanation",
    "Letter",
    "analyse",
    "apply_decision",
    "update",
]
