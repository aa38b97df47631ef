import ResonanceEngine
import ResonanceModel
import Testing

@testable import ResonanceEvaluation

/// `resonance calibrate`'s procedure: replay, sample, fit, and replay again until settled.
@Suite("Calibrating the scale on a data set")
struct CalibrationProcedureTests {
    static let start: Int64 = 1_704_067_200_000  // 2024-01-01

    /// 400 users with a heavy-tailed number of distinct reactors (1 to 200), from a pool of fans
    /// who are themselves reacted to, so that *Who* feeds back into the raw values; plus a
    /// duplicate delivery and a self-reaction, which must not enter the sample.
    static func log() -> EventLog {
        var events: [EncodedEvent] = []
        var next = 0
        for user in 0..<400 {
            let reactors = 1 + 200 / (user + 1) + user % 3
            for fan in 0..<reactors {
                next += 1
                events.append(EventJSON.reaction(
                    id: "r\(next)", network: user % 2 == 0 ? "twitter" : "mastodon",
                    time: start + Int64(next) * 60_000, action: fan % 4 == 0 ? "like" : "reshare",
                    actor: "user\((user + fan * 7 + 1) % 400)", target: "user\(user)"))
            }
        }
        events.append(EventJSON.reaction(id: "r1", network: "twitter", time: start + 1, action: "reshare", actor: "user1", target: "user0"))
        events.append(EventJSON.reaction(id: "self", network: "twitter", time: start + 2, action: "reshare", actor: "user3", target: "user3"))
        return EventLog(unsortedEvents: events)
    }

    @Test("from a far-off scale, the rounds settle on constants that give the target mean and p95")
    func settles() throws {
        let log = Self.log()
        var start = ModelConfiguration()
        start.scaleReference = 3
        start.scaleExponent = 0.5
        var options = Calibration.Options()
        options.targetMean = 40
        options.targetP95 = 63
        options.maximumRounds = 10
        let result = try Calibration.run(log: log, configuration: start, options: options, wallClock: Self.start + 86_400_000 * 100)
        #expect(result.settled)
        #expect(result.rounds.count >= 2, "the first fit changes raw values, so one more round is needed")
        #expect(result.rounds[0].distribution.count == 400)
        // A replay with the fitted constants gives the targets (to the tolerance's effect).
        let fitted = result.configuration(from: start)
        let raws = try Calibration.sample(log: log, configuration: fitted, wallClock: Self.start + 86_400_000 * 100)
        let distribution = ScoreDistribution(raws.map { ScoreScale(fitted).score(raw: $0) })
        #expect(distribution.count == 400)
        #expect(abs(distribution.mean - 40) < 0.5, "mean \(distribution.mean)")
        #expect(abs(distribution.p95 - 63) < 0.5, "p95 \(distribution.p95)")
        // Starting from the answer, one round confirms it.
        let again = try Calibration.run(log: log, configuration: fitted, options: options, wallClock: Self.start + 86_400_000 * 100)
        #expect(again.rounds.count == 1 && again.settled)
    }

    @Test("other targets, and a clear error when the data cannot be fitted")
    func targetsAndErrors() throws {
        var options = Calibration.Options()
        options.targetMean = 38
        options.targetP95 = 66
        options.maximumRounds = 10
        let result = try Calibration.run(log: Self.log(), configuration: ModelConfiguration(), options: options, wallClock: Self.start + 86_400_000 * 100)
        #expect(result.settled)
        #expect(abs(result.rounds.last!.distribution.mean - 38) < 1)
        #expect(abs(result.rounds.last!.distribution.p95 - 66) < 1)

        // A p95 far above the mean needs a tail this population does not have.
        options.targetMean = 10
        options.targetP95 = 95
        let impossible = #expect(throws: EvaluationError.self) {
            try Calibration.run(log: Self.log(), configuration: ModelConfiguration(), options: options, wallClock: Self.start + 86_400_000 * 100)
        }
        #expect(impossible?.message.contains("no scale of the model's form") == true, "\(String(describing: impossible))")

        let tiny = EventLog(unsortedEvents: [
            EventJSON.reaction(id: "a", network: "twitter", time: Self.start, action: "like", actor: "x", target: "y")
        ])
        #expect(throws: EvaluationError.self) {
            try Calibration.run(log: tiny, configuration: ModelConfiguration(), wallClock: Self.start + 1)
        }
        options.targetMean = 70
        options.targetP95 = 63
        #expect(throws: EvaluationError.self) {
            try Calibration.run(log: Self.log(), configuration: ModelConfiguration(), options: options, wallClock: Self.start + 1)
        }
    }
}
