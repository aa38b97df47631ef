#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fitting the scale to a population: the `resonance calibrate` command calls this on the raw
/// engagement of operators' users.
extension ScoreScale {
    /// The scale under which `raws` (one raw engagement per user who received at least one
    /// reaction) have mean score `targetMean` and 95th-percentile score `targetP95`.
    ///
    /// For a given exponent, the reference is fixed by the 95th percentile; the exponent is then
    /// found by bisection on the mean, which rises with the exponent. Deterministic: the same
    /// raws in any order give the same scale. Returns nil when the targets cannot be met (fewer
    /// than 20 users, all raws equal, or targets outside 1 < mean < p95 < 100).
    ///
    /// Because the *Who* factor reads actors' scores, a new scale changes raw values a little:
    /// replay and calibrate again until the constants settle (two or three rounds).
    public static func calibrate(raws: [Double], targetMean: Double, targetP95: Double) -> ScoreScale? {
        let sorted = raws.filter { $0 > 0 && $0.isFinite }.sorted()
        guard sorted.count >= 20, 1 < targetMean, targetMean < targetP95, targetP95 < 100 else { return nil }
        let p95Raw = percentile(sorted, 0.95)
        guard p95Raw > sorted[0] else { return nil }
        func scale(exponent: Double) -> ScoreScale {
            // score(p95Raw) = targetP95  ⇔  (1 + p95Raw / r0)^(−k) = (100 − targetP95) / 99
            let reference = p95Raw / (pow((100 - targetP95) / 99, -1 / exponent) - 1)
            return ScoreScale(reference: reference, exponent: exponent)
        }
        func meanScore(_ candidate: ScoreScale) -> Double {
            var sum = 0.0
            for raw in sorted { sum += candidate.score(raw: raw) }
            return sum / Double(sorted.count)
        }
        var low = 1e-3
        var high = 20.0
        let lowMean = meanScore(scale(exponent: low))
        let highMean = meanScore(scale(exponent: high))
        guard (lowMean - targetMean) * (highMean - targetMean) <= 0 else { return nil }
        let increasing = highMean > lowMean
        for _ in 0..<100 {
            let middle = (low + high) / 2
            let mean = meanScore(scale(exponent: middle))
            if (mean < targetMean) == increasing { low = middle } else { high = middle }
        }
        return scale(exponent: (low + high) / 2)
    }

    /// The q-quantile of sorted values (nearest rank).
    public static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty)
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[Swift.min(Swift.max(rank, 0), sorted.count - 1)]
    }
}
