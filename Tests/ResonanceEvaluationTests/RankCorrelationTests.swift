import Testing

@testable import ResonanceEvaluation

@Suite("Spearman rank correlation")
struct RankCorrelationTests {
    @Test("tied values share the mean of the ranks they span")
    func averageRanks() {
        #expect(RankCorrelation.averageRanks([5, 7, 7, 9]) == [1, 2.5, 2.5, 4])
        #expect(RankCorrelation.averageRanks([0, 0, 0]) == [2, 2, 2])
        #expect(RankCorrelation.averageRanks([3, 1, 2]) == [3, 1, 2])
    }

    @Test("a hand-computed example with ties")
    func handComputedWithTies() throws {
        // x = 1, 2, 2, 3 ranks 1, 2.5, 2.5, 4; y = 1, 3, 2, 4 ranks 1, 3, 2, 4; both means 2.5.
        // Deviations: x −1.5, 0, 0, 1.5; y −1.5, 0.5, −0.5, 1.5. Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5,
        // so ρ = 4.5 / √(4.5 · 5) = √0.9.
        let rho = try #require(RankCorrelation.spearman([1, 2, 2, 3], [1, 3, 2, 4]))
        #expect(abs(rho - 0.9.squareRoot()) < 1e-12)
    }

    @Test("ρ depends on order only: a monotone transform gives 1, a reversal −1")
    func orderOnly() throws {
        let x: [Double] = [0.1, 5, 2, 40, 7]
        let cubed = x.map { $0 * $0 * $0 }
        #expect(try #require(RankCorrelation.spearman(x, cubed)) == 1)
        #expect(try #require(RankCorrelation.spearman(x, x.map { -$0 })) == -1)
    }

    @Test("a constant side leaves ρ undefined rather than 0")
    func constantIsUndefined() {
        #expect(RankCorrelation.spearman([1, 2, 3], [4, 4, 4]) == nil)
        #expect(RankCorrelation.spearman([1], [2]) == nil)
    }
}
