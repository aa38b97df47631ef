import Testing

@testable import ResonanceEvaluation

@Suite("PageRank")
struct PageRankTests {
    @Test("a small graph's known stationary distribution")
    func knownDistribution() {
        // Edges 0→1, 1→0, 2→0; d = 0.85, N = 3, teleport (1 − d)/N = 0.05.
        // x2 = 0.05 (nothing points at 2); x1 = 0.05 + 0.85·x0; x0 = 0.05 + 0.85·(x1 + x2)
        // ⇒ x0 = 0.135 / (1 − 0.85²) = 0.135 / 0.2775.
        let rank = PageRank(
            nodeCount: 3, edges: [PageRank.Edge(from: 0, to: 1), PageRank.Edge(from: 1, to: 0), PageRank.Edge(from: 2, to: 0)],
            damping: 0.85, tolerance: 1e-13)
        let x0 = 0.135 / 0.2775
        #expect(abs(rank.values[0] - x0) < 1e-10)
        #expect(abs(rank.values[1] - (0.05 + 0.85 * x0)) < 1e-10)
        #expect(abs(rank.values[2] - 0.05) < 1e-10)
        #expect(rank.residual < 1e-13)
    }

    @Test("a node without out-edges hands its rank to everyone")
    func danglingNode() {
        // 0→1 and 1 dangling: x0 = 0.075 + 0.85·x1/2, x0 + x1 = 1 ⇒ x0 = 0.5 / 1.425.
        let rank = PageRank(nodeCount: 2, edges: [PageRank.Edge(from: 0, to: 1)], damping: 0.85, tolerance: 1e-13)
        #expect(abs(rank.values[0] - 0.5 / 1.425) < 1e-10)
        #expect(abs(rank.values[1] - (1 - 0.5 / 1.425)) < 1e-10)
    }

    @Test("weights split a node's rank in proportion")
    func weights() {
        // 0 points at 1 three times as strongly as at 2; 1 and 2 point back at 0.
        // x1 = 0.05 + 0.85·0.75·x0, x2 = 0.05 + 0.85·0.25·x0, x0 = 0.05 + 0.85·(x1 + x2)
        // ⇒ x0 = (0.05 + 0.085) / (1 − 0.7225) as in the cycle above.
        let rank = PageRank(
            nodeCount: 3,
            edges: [
                PageRank.Edge(from: 0, to: 1, weight: 3), PageRank.Edge(from: 0, to: 2, weight: 1),
                PageRank.Edge(from: 1, to: 0), PageRank.Edge(from: 2, to: 0),
            ],
            damping: 0.85, tolerance: 1e-13)
        let x0 = 0.135 / 0.2775
        #expect(abs(rank.values[0] - x0) < 1e-10)
        #expect(abs(rank.values[1] - (0.05 + 0.85 * 0.75 * x0)) < 1e-10)
        #expect(abs(rank.values[2] - (0.05 + 0.85 * 0.25 * x0)) < 1e-10)
        #expect(abs(rank.values.reduce(0, +) - 1) < 1e-12)
    }

    @Test("the iteration stops at the cap and says it did not converge")
    func iterationCap() {
        let rank = PageRank(
            nodeCount: 3, edges: [PageRank.Edge(from: 0, to: 1), PageRank.Edge(from: 1, to: 2), PageRank.Edge(from: 2, to: 1)],
            damping: 0.85, tolerance: 1e-15, maxIterations: 3)
        #expect(rank.iterations == 3)
        #expect(rank.residual > 1e-15)
    }
}
