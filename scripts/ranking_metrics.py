"""The ranking metrics of `resonance evaluate`, for the scripts that check it from Python
(validation-ceiling.py, score-frontier.py): Spearman rho with average ranks for ties, and NDCG@k
where tied scores contribute their mean gain over the positions they cover."""
import math

import numpy as np


def average_ranks(values):
    """Ranks 1...n, tied values sharing the mean of the ranks they span."""
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    ranks = np.empty(len(values))
    boundaries = np.flatnonzero(np.diff(sorted_values)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(values)]))
    for start, end in zip(starts, ends):
        ranks[order[start:end]] = (start + end + 1) / 2
    return ranks


def spearman(x, y):
    rx, ry = average_ranks(x), average_ranks(y)
    rx -= rx.mean()
    ry -= ry.mean()
    return float((rx * ry).sum() / math.sqrt((rx * rx).sum() * (ry * ry).sum()))


def ndcg(score, gain, k=100):
    """NDCG@k with tied scores contributing their mean gain over the positions they cover."""
    order = np.argsort(-score, kind="mergesort")
    s, g = score[order], gain[order]
    discount = 1 / np.log2(np.arange(2, k + 2))
    dcg, i = 0.0, 0
    while i < min(k, len(s)):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        last = min(j, k - 1)
        dcg += g[i:j + 1].mean() * discount[i:last + 1].sum()
        i = j + 1
    ideal = np.sort(gain)[::-1][:k]
    return float(dcg / (ideal * discount[:len(ideal)]).sum())
