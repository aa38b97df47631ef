import Foundation
import Testing

@testable import ResonanceEvaluation

@Suite("NDCG@k and precision@k")
struct TopKMetricsTests {
    @Test("NDCG of a hand-computed ranking")
    func ndcgHandComputed() throws {
        // By score: item 0 (gain 1) at position 1, item 1 (gain 3) at position 2.
        // DCG@2 = 1/log2(2) + 3/log2(3); ideal order 3, 1: IDCG@2 = 3/log2(2) + 1/log2(3).
        let value = try #require(TopKMetrics.ndcg(scores: [3, 2, 1], gains: [1, 3, 0], k: 2))
        let expected = (1 + 3 / log2(3.0)) / (3 + 1 / log2(3.0))
        #expect(abs(value - expected) < 1e-12)
        #expect(abs(value - 0.796_707) < 1e-6)
    }

    @Test("a perfect ranking scores 1, and k cuts the list")
    func ndcgPerfectAndCut() throws {
        #expect(try #require(TopKMetrics.ndcg(scores: [9, 8, 7, 1], gains: [5, 4, 2, 1], k: 3)) == 1)
        // Only the first position counts at k = 1: the top item has gain 4 of an ideal 5.
        #expect(try #require(TopKMetrics.ndcg(scores: [9, 8, 7, 1], gains: [4, 5, 2, 1], k: 1)) == 0.8)
    }

    @Test("tied scores count their mean gain, not a lucky order")
    func ndcgTies() throws {
        // Two tied items for one slot: expected gain (1 + 0) / 2 against an ideal 1.
        #expect(try #require(TopKMetrics.ndcg(scores: [1, 1], gains: [1, 0], k: 1)) == 0.5)
        #expect(try #require(TopKMetrics.ndcg(scores: [1, 1], gains: [0, 1], k: 1)) == 0.5)
    }

    @Test("nothing to find leaves NDCG undefined")
    func ndcgNoGain() {
        #expect(TopKMetrics.ndcg(scores: [1, 2], gains: [0, 0], k: 2) == nil)
    }

    @Test("precision is the overlap of the two top-k sets over k")
    func precisionOverlap() {
        // Top 2 by score {0, 1}; top 2 by truth {1, 2}: one in common.
        #expect(TopKMetrics.precision(scores: [5, 4, 3, 2, 1], truth: [0, 10, 9, 0, 8], k: 2) == 0.5)
        #expect(TopKMetrics.precision(scores: [5, 4, 3, 2, 1], truth: [9, 8, 0, 0, 0], k: 2) == 1)
        #expect(TopKMetrics.precision(scores: [1, 2, 3, 4, 5], truth: [9, 8, 0, 0, 0], k: 2) == 0)
    }

    @Test("ties at the boundary count with their probability of being in")
    func precisionTies() {
        // Four tied scores for two places: each is in with probability 1/2; the true top 2 are
        // items 0 and 1, so the expected overlap is 1 and precision 1/2.
        #expect(TopKMetrics.precision(scores: [1, 1, 1, 1], truth: [4, 3, 2, 1], k: 2) == 0.5)
        let membership = TopKMetrics.topMembership([3, 2, 2, 2, 1], k: 2)
        #expect(membership[0] == 1)
        #expect(membership[1] == 1.0 / 3 && membership[2] == 1.0 / 3 && membership[3] == 1.0 / 3)
        #expect(membership[4] == nil)
    }
}
