/// A set of scores summarized: mean, 95th percentile and a histogram of whole-point bins.
public struct ScoreDistribution: Sendable, Equatable {
    /// How many scores.
    public var count: Int
    /// Their mean; 0 when there are none.
    public var mean: Double
    /// The 95th percentile (nearest rank, as the scale's calibration defines it); 0 when empty.
    public var p95: Double
    /// Users per bin: bin i holds scores in [i + 1, i + 2), the last bin [99, 100].
    public var bins: [Int]

    /// Summarizes `scores` (each 1–100).
    public init(_ scores: [Double]) {
        count = scores.count
        bins = [Int](repeating: 0, count: 99)
        guard !scores.isEmpty else {
            mean = 0
            p95 = 0
            return
        }
        mean = scores.reduce(0, +) / Double(scores.count)
        let sorted = scores.sorted()
        let rank = Int((0.95 * Double(sorted.count)).rounded(.up)) - 1
        p95 = sorted[Swift.min(Swift.max(rank, 0), sorted.count - 1)]
        for score in scores {
            let bin = Int((score - 1).rounded(.down))
            bins[Swift.min(Swift.max(bin, 0), bins.count - 1)] += 1
        }
    }
}
