#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How well the head of a ranking matches the head of the truth: NDCG@k and precision@k.
///
/// Both are computed as the expectation over a uniformly random order of tied scores (McSherry and
/// Najork, "Computing Information Retrieval Performance Measures Efficiently in the Presence of
/// Tied Scores", ECIR 2008). Baselines such as "reactions in the last day" tie for most users; any
/// fixed tie-break (by id, by input order) would hand them luck, good or bad, that has nothing to
/// do with what they measure.
public enum TopKMetrics {
    /// Normalized discounted cumulative gain at `k`: `DCG@k / IDCG@k` with
    /// `DCG@k = Σ_{i=1..k} gain_(i) / log2(i + 1)`, items ordered by `scores` descending, and IDCG the
    /// DCG of the items ordered by gain. A group of tied scores spanning positions p…q contributes
    /// its mean gain times the sum of the discounts of the positions it covers within 1…k.
    ///
    /// - Returns: a value in 0…1; nil when every gain is 0 (there is nothing to find).
    public static func ndcg(scores: [Double], gains: [Double], k: Int) -> Double? {
        precondition(scores.count == gains.count, "ndcg: \(scores.count) scores against \(gains.count) gains")
        precondition(k > 0, "ndcg: k must be positive")
        let ideal = gains.sorted(by: >)
        var idealDCG = 0.0
        for position in 0..<Swift.min(k, ideal.count) { idealDCG += ideal[position] * discount(position) }
        guard idealDCG > 0 else { return nil }
        var dcg = 0.0
        forEachTiedGroup(descending: scores) { group, start in
            guard start < k else { return false }
            let meanGain = group.reduce(0.0) { $0 + gains[$1] } / Double(group.count)
            var discounts = 0.0
            for position in start..<Swift.min(start + group.count, k) { discounts += discount(position) }
            dcg += meanGain * discounts
            return true
        }
        return dcg / idealDCG
    }

    /// Precision at `k`: the expected size of the overlap between the top `k` items by `scores` and
    /// the top `k` by `truth`, divided by `k`. Ties at either boundary are broken at random,
    /// independently, so an item in a tied group straddling position k is in with probability
    /// (places left) / (group size).
    public static func precision(scores: [Double], truth: [Double], k: Int) -> Double {
        precondition(scores.count == truth.count, "precision: \(scores.count) scores against \(truth.count) truths")
        precondition(k > 0, "precision: k must be positive")
        let predicted = topMembership(scores, k: k)
        let actual = topMembership(truth, k: k)
        var overlap = 0.0
        for (index, probability) in predicted { overlap += probability * (actual[index] ?? 0) }
        return overlap / Double(k)
    }

    /// The probability that each item is among the top `k` of `values` (descending) under a random
    /// order of ties; items with probability 0 are absent.
    public static func topMembership(_ values: [Double], k: Int) -> [Int: Double] {
        var membership: [Int: Double] = [:]
        forEachTiedGroup(descending: values) { group, start in
            guard start < k else { return false }
            let probability = Double(Swift.min(group.count, k - start)) / Double(group.count)
            for index in group { membership[index] = probability }
            return true
        }
        return membership
    }

    /// The discount of 0-based position `position`: 1 / log2(position + 2).
    @inline(__always)
    static func discount(_ position: Int) -> Double { 1 / log2(Double(position + 2)) }

    /// Calls `body` with each group of indices whose values are equal, highest value first, and the
    /// 0-based position where the group starts; stops when `body` returns false.
    static func forEachTiedGroup(descending values: [Double], _ body: (ArraySlice<Int>, Int) -> Bool) {
        let order = values.indices.sorted { values[$0] > values[$1] }
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            if !body(order[start..<end], start) { return }
            start = end
        }
    }
}
