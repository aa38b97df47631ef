#!/usr/bin/env python3
"""How far can any score built from simple per-user statistics go on Twitter15/16?

docs/VALIDATION.md, section 1, "The ceiling". `resonance evaluate` shows that Resonance's score
does not beat the "reactions received" and "distinct reactors" baselines on both Spearman rho and
NDCG@100. This script asks whether *any* ranking built from the statistics a scorer could keep
does, so that a failure of the model can be told from a limit of the data.

It reads the data set the way `resonance evaluate` does (one reaction per distinct row id, no
self-reactions, sources are posts; users evaluated = those who received a counted reaction before
the cutoff; gain = counted reactions received after it), computes per user before each cutoff:

  count     reactions received            distinct  distinct reactors
  cascades  distinct cascades reacted in  days      distinct UTC days reacted to
  decay30   reactions decayed, 30-day half-life      decay365  the same, 365-day half-life
  age       years since the last reaction received

and scores (a) each statistic alone, (b) count + a * cascades, and (c) RANDOM linear combinations
of log(1 + statistic) and age, with a fixed seed. For each it counts the cutoffs at which it beats
every baseline (the best baseline per cutoff and metric, taken from the same computation) on both
rho (reactions after) and NDCG@100. Ties are handled as in `resonance evaluate`: average ranks for
rho, the expectation over a random order of tied items for NDCG.

    .deps/venv/bin/pip install numpy     # once (scripts/bootstrap made the venv)
    .deps/venv/bin/python scripts/validation-ceiling.py [--random 3000] [DATA]

About ten minutes for 3,000 combinations on the 2-core development machine.
"""
import argparse
import collections
import csv
import datetime
import gzip
import os

import numpy as np

from ranking_metrics import ndcg, spearman

CUTOFFS = ["2015-01-01", "2015-07-01", "2016-01-01", "2016-07-01"]
STATISTICS = ["count", "distinct", "cascades", "days", "decay30", "decay365", "age"]


def read_reactions(path):
    seen, reactions = set(), []
    with gzip.open(path, "rt", newline="") as file:
        rows = csv.reader(file)
        next(rows)
        for _, root, _, parent, _, child, child_tweet, _, seconds, kind in rows:
            if kind == "source":
                continue
            row_id = (child_tweet, child, parent, kind)  # the converter's event id
            if row_id in seen or parent == child:
                continue
            seen.add(row_id)
            reactions.append((int(seconds), parent, child, root))
    reactions.sort(key=lambda reaction: reaction[0])  # stable, as evaluate sorts
    return reactions


def statistics_at(reactions, cutoff):
    count, after = collections.Counter(), collections.Counter()
    reactors, cascades, days = (collections.defaultdict(set) for _ in range(3))
    decay30, decay365, last = collections.defaultdict(float), collections.defaultdict(float), {}
    for seconds, target, actor, root in reactions:
        if seconds >= cutoff:
            after[target] += 1
            continue
        count[target] += 1
        reactors[target].add(actor)
        cascades[target].add(root)
        days[target].add(seconds // 86400)
        last[target] = seconds
        decay30[target] += 2 ** (-(cutoff - seconds) / (30 * 86400))
        decay365[target] += 2 ** (-(cutoff - seconds) / (365 * 86400))
    users = list(count)
    columns = {
        "count": [count[u] for u in users],
        "distinct": [len(reactors[u]) for u in users],
        "cascades": [len(cascades[u]) for u in users],
        "days": [len(days[u]) for u in users],
        "decay30": [decay30[u] for u in users],
        "decay365": [decay365[u] for u in users],
        "age": [(cutoff - last[u]) / (365 * 86400) for u in users],
    }
    return {name: np.array(values, dtype=float) for name, values in columns.items()}, \
        np.array([after[u] for u in users], dtype=float)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?",
                        default=os.path.join(here, "..", "data", "twitter1516_events.csv.gz"))
    parser.add_argument("--random", type=int, default=3000, help="random linear combinations to try")
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()

    reactions = read_reactions(arguments.data)
    print(f"{len(reactions):,} counted reactions")
    cutoffs = []
    for day in CUTOFFS:
        seconds = int(datetime.datetime.fromisoformat(day + "T00:00:00+00:00").timestamp())
        columns, gain = statistics_at(reactions, seconds)
        # The baselines of `resonance evaluate` that are plain statistics; "reactions, last day"
        # and PageRank never lead there, so they do not raise the bar.
        bar_rho = max(spearman(columns[name], gain) for name in ("count", "distinct"))
        bar_ndcg = max(ndcg(columns[name], gain) for name in ("count", "distinct"))
        logs = np.column_stack([np.log1p(columns[name]) if name != "age" else columns[name]
                                for name in STATISTICS])
        cutoffs.append((day, columns, gain, logs, bar_rho, bar_ndcg))
        print(f"{day}: {len(gain):,} users, best baseline rho {bar_rho:.3f}, NDCG@100 {bar_ndcg:.3f}")

    def judge(scores_at):
        results = []
        for index, (_, columns, gain, logs, bar_rho, bar_ndcg) in enumerate(cutoffs):
            score = scores_at(index, columns, logs)
            rho, gain_ndcg = spearman(score, gain), ndcg(score, gain)
            results.append((rho, gain_ndcg, rho > bar_rho and gain_ndcg > bar_ndcg))
        return results

    def line(name, results):
        cells = "  ".join(f"{rho:.3f}/{n:.3f}{'*' if won else ' '}" for rho, n, won in results)
        return f"{sum(won for _, _, won in results)}  {cells}  {name}"

    print("\nwins  rho/NDCG per cutoff (* = beats every baseline on both)  ranking")
    for name in STATISTICS:
        sign = -1.0 if name == "age" else 1.0
        print(line(name, judge(lambda i, c, l, name=name, sign=sign: sign * c[name])))
    for weight in (1, 3, 10, 30):
        print(line(f"count + {weight} x cascades",
                   judge(lambda i, c, l, w=weight: c["count"] + w * c["cascades"])))

    generator = np.random.default_rng(arguments.seed)
    tried = []
    for _ in range(arguments.random):
        weights = generator.normal(size=len(STATISTICS))
        tried.append((weights, judge(lambda i, c, l, w=weights: l @ w)))
    tried.sort(key=lambda item: (-sum(won for _, _, won in item[1]), -sum(rho for rho, _, _ in item[1])))
    histogram = collections.Counter(sum(won for _, _, won in results) for _, results in tried)
    print(f"\n{arguments.random} random combinations of log(1 + statistic) and age (seed {arguments.seed}):")
    print("cutoffs won: " + ", ".join(f"{wins}: {histogram[wins]}" for wins in sorted(histogram)))
    for weights, results in tried[:5]:
        names = " ".join(f"{w:+.2f}·{n}" for w, n in zip(weights, STATISTICS))
        print(line(names, results))


if __name__ == "__main__":
    main()
