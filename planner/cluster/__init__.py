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
    Manual merge / split / detach (关联分析 page); decisions are kept in ``result.decisions`` and respected
    by later ``update`` / ``analyse(previous=...)`` runs.
``planner.cluster.store``: ``recluster(session, cases)`` (keeps stored ids, replays stored decisions, saves),
    ``decide(session, result, decision, who=...)``, ``load_decisions``, ``load_assignment``, ``save_result``.
``planner.cluster.metrics.score(truth, predicted)``: ARI and pairwise precision/recall/F1.

A :class:`ClusterResult` has ``issues`` (同类问题, systemic first), ``hotspots`` (热点: same matter, same place),
``repeats`` (重复举报 chains) as :class:`~planner.domain.Cluster` objects, the maps ``issue_of``,
``hotspot_of``, ``repeat_of`` (letter id -> first letter of its chain), ``explain(a_id, b_id)`` (an
:class:`Explanation` with ``reasons()`` in Chinese), ``cluster(id)``, ``hotspots_of(issue_id)``, ``systemic()``,
``letters_of(id)``, ``mined(letter_id)`` and ``rows()`` (the CLI's CSV rows).

How it works
------------
1. :func:`planner.textmine.mine` segments each letter (jieba + domain dictionary) and separates *matter*
   words from places, persons and amounts.
2. Matter words and their character bigrams are weighted by TF-IDF; each letter, in date order, joins the
   issue cluster whose centroid is most similar (cosine >= ``issue_threshold``) among those of its nearest
   earlier neighbours, else founds a new one. Centroids (not single links) keep one shared word from chaining
   topics; a cluster at the same village/estate gets ``place_bonus`` but never below ``min_similarity``;
   letters naming different core matter words (保证金 vs 好处费) never join; then clusters whose centroids
   became alike are merged (``merge_threshold``). A petitioner's later letter about the same place, or one
   saying it writes again (再次反映), joins that petitioner's cluster.
3. Hotspots split each issue cluster by place: village code or named village/compound/road, else town,
   else county; letters naming no place join the issue's only place, else a 地点不明 hotspot.
4. Repeats: same petitioner key within an issue, or (no key) near-identical text at the same hotspot.
5. Systemic: an issue spanning ``systemic_counties`` (default 3) or more counties.
"""

from planner.cluster.engine import (
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
