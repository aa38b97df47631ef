import Foundation
import ResonanceModel
import Testing

/// The scale is calibrated so that, over users who received at least one
/// reaction, the mean is about 40 and the 95th percentile about 63.
@Suite("Calibration")
struct CalibrationTests {
    @Test("calibrate fits a synthetic heavy-tailed population to the targets")
    func synthetic() throws {
        var generator = SplitMix64(seed: 3)
        let raws = (0..<5_000).map { _ -> Double in
            let uniform = Double(generator.next() >> 11) / Double(1 << 53)
            return 0.5 / pow(1 - uniform * 0.999, 1.3)  // Pareto-like
        }
        let scale = try #require(ScoreScale.calibrate(raws: raws, targetMean: 40, targetP95: 63))
        let scores = raws.map { scale.score(raw: $0) }.sorted()
        #expect(abs(scores.reduce(0, +) / Double(scores.count) - 40) < 0.01)
        #expect(abs(ScoreScale.percentile(scores, 0.95) - 63) < 0.01)
        // Order does not matter.
        #expect(ScoreScale.calibrate(raws: raws.reversed(), targetMean: 40, targetP95: 63) == scale)
        #expect(ScoreScale.calibrate(raws: [1, 2], targetMean: 40, targetP95: 63) == nil)
        #expect(ScoreScale.calibrate(raws: raws, targetMean: 70, targetP95: 63) == nil)
    }

    @Test(
        "the shipped constants give mean ≈ 40 and p95 ≈ 63 on the Twitter15/16 replay",
        .enabled(if: Twitter1516Replay.isAvailable, "needs data/twitter1516_events.csv.gz")
    )
    func twitter1516() throws {
        let replay = try Twitter1516Replay.load()
        #expect(replay.rows.count == 987_994)
        var state = try InfluenceState(configuration: ModelConfiguration())
        var sample = CalibrationSample()
        let outcomes = replay.replay(into: &state, sample: &sample)
        // The 169 cascades present in both datasets are dropped as duplicates; self-reactions count zero.
        #expect(outcomes["duplicate", default: 0] > 80_000)
        #expect(outcomes["self", default: 0] > 1_000)
        let raws = sample.raws
        #expect(raws.count > 80_000)
        let scale = ScoreScale(ModelConfiguration())
        let scores = raws.map { scale.score(raw: $0) }.sorted()
        let mean = scores.reduce(0, +) / Double(scores.count)
        let p95 = ScoreScale.percentile(scores, 0.95)
        #expect(abs(mean - 40) < 1, "mean \(mean)")
        #expect(abs(p95 - 63) < 1, "p95 \(p95)")
        // Recalibrating on the replay reproduces the shipped constants (they are a fixed point).
        let refit = try #require(ScoreScale.calibrate(raws: raws, targetMean: 40, targetP95: 63))
        #expect(abs(refit.reference / scale.reference - 1) < 0.02, "\(refit)")
        #expect(abs(refit.exponent / scale.exponent - 1) < 0.02, "\(refit)")
    }
}
