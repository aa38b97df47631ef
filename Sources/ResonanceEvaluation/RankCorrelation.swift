/// Spearman's rank correlation, with ties given their average rank.
///
/// Most users receive nothing after a cutoff, so the outcome vectors are dominated by ties at zero;
/// average ranks (the "fractional ranking" of Kendall and Gibbons) keep the coefficient a plain
/// Pearson correlation of ranks and make it independent of how tied users happen to be ordered.
public enum RankCorrelation {
    /// The 1-based rank of each value in ascending order; tied values share the mean of the ranks
    /// they span (values 5, 7, 7, 9 rank 1, 2.5, 2.5, 4).
    public static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            // Positions start..<end hold one value: ranks start+1 ... end, whose mean is this.
            let rank = Double(start + 1 + end) / 2
            for position in start..<end { ranks[order[position]] = rank }
            start = end
        }
        return ranks
    }

    /// The Pearson correlation of `x` and `y`; nil when fewer than two pairs, or when either side is
    /// constant (the coefficient is undefined, and reporting 0 would hide that).
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        precondition(x.count == y.count, "pearson: \(x.count) values against \(y.count)")
        guard x.count >= 2 else { return nil }
        let count = Double(x.count)
        let meanX = x.reduce(0, +) / count
        let meanY = y.reduce(0, +) / count
        var covariance = 0.0
        var varianceX = 0.0
        var varianceY = 0.0
        for index in x.indices {
            let dx = x[index] - meanX
            let dy = y[index] - meanY
            covariance += dx * dy
            varianceX += dx * dx
            varianceY += dy * dy
        }
        guard varianceX > 0, varianceY > 0 else { return nil }
        return covariance / (varianceX * varianceY).squareRoot()
    }

    /// Spearman's ρ: the Pearson correlation of the average ranks of `x` and `y`.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        pearson(averageRanks(x), averageRanks(y))
    }
}
