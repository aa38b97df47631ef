import ResonanceEngine
import ResonanceModel

/// Fitting the score scale to an operator's own data: what `resonance calibrate` runs.
///
/// Each round replays the data set through the scorer exactly as ``Evaluation`` does (contract-v1
/// events in event-time order, one ``PartitionProcessor``), samples every user who received a
/// counted reaction right after the last one they received (docs/SCORING.md, "Calibration"), and
/// fits ``ScoreScale/calibrate(raws:targetMean:targetP95:)`` to those raw values. Because the
/// *Who* factor reads actors' scores, the new scale changes the raw values a little, so the next
/// round replays with it; the rounds stop once neither constant moves by more than the tolerance.
public enum Calibration {
    /// What the procedure aims at and how long it may try.
    public struct Options: Sendable {
        public var targetMean = 40.0
        public var targetP95 = 63.0
        /// At most this many replays.
        public var maximumRounds = 6
        /// Settled when both constants change by less than this fraction between rounds.
        public var tolerance = 0.005
        public init() {}
    }

    /// One replay: the scale it ran with, the distribution it produced under that scale, and the
    /// scale fitted to its sample.
    public struct Round: Sendable {
        public var scale: ScoreScale
        public var distribution: ScoreDistribution
        public var fitted: ScoreScale
    }

    /// Every round, in order; the last one's `fitted` is the answer.
    public struct Result: Sendable {
        public var rounds: [Round]
        /// True when the last round moved neither constant by more than the tolerance.
        public var settled: Bool
        /// The fitted scale.
        public var scale: ScoreScale { rounds[rounds.count - 1].fitted }
        /// The configuration with the fitted constants.
        public func configuration(from base: ModelConfiguration) -> ModelConfiguration {
            var configuration = base
            configuration.scaleReference = scale.reference
            configuration.scaleExponent = scale.exponent
            return configuration
        }
    }

    /// Runs the rounds, starting from `configuration`'s scale.
    ///
    /// - Parameter wallClock: the processor's wall clock, epoch milliseconds (only its bound on
    ///   future event times reads it).
    public static func run(
        log: EventLog, configuration: ModelConfiguration, options: Options = Options(), wallClock: Int64,
        replayProgress: ReplayProgress? = nil, progress: (Round) -> Void = { _ in }
    ) throws -> Result {
        guard options.maximumRounds > 0 else { throw EvaluationError("calibration needs at least one round") }
        guard 1 < options.targetMean, options.targetMean < options.targetP95, options.targetP95 < 100 else {
            throw EvaluationError("the targets must satisfy 1 < mean < 95th percentile < 100 (got \(options.targetMean) and \(options.targetP95))")
        }
        var current = configuration
        var rounds: [Round] = []
        while rounds.count < options.maximumRounds {
            let scale = ScoreScale(current)
            let raws = try sample(log: log, configuration: current, wallClock: wallClock, progress: replayProgress)
            guard let fitted = ScoreScale.calibrate(raws: raws, targetMean: options.targetMean, targetP95: options.targetP95) else {
                if raws.count < 20 || Set(raws).count < 2 {
                    throw EvaluationError(
                        "cannot fit the scale to \(raws.count) user(s) with a counted reaction: at least 20, with different engagement, are needed")
                }
                throw EvaluationError(
                    "no scale of the model's form gives mean \(options.targetMean) and 95th percentile \(options.targetP95) "
                        + "over these \(raws.count) users (docs/SCORING.md, \"The scale\"); choose targets closer to 40 and 63")
            }
            let round = Round(scale: scale, distribution: ScoreDistribution(raws.map { scale.score(raw: $0) }), fitted: fitted)
            rounds.append(round)
            progress(round)
            current.scaleReference = fitted.reference
            current.scaleExponent = fitted.exponent
            if moved(from: scale, to: fitted) < options.tolerance { return Result(rounds: rounds, settled: true) }
        }
        return Result(rounds: rounds, settled: false)
    }

    /// The larger relative change of the two constants.
    static func moved(from old: ScoreScale, to new: ScoreScale) -> Double {
        Swift.max(abs(new.reference / old.reference - 1), abs(new.exponent / old.exponent - 1))
    }

    /// Replays `log` and returns, for every user who received a counted reaction, their raw
    /// engagement right after the last one (users erased later are left out).
    static func sample(
        log: EventLog, configuration: ModelConfiguration, wallClock: Int64, progress: ReplayProgress? = nil
    ) throws -> [Double] {
        var replay = try ReplayPartition(configuration: configuration, wallClock: wallClock)
        var rawAfterLastReaction: [Double] = []
        for (done, event) in log.events.enumerated() {
            if done % ReplayProgressInterval.events == 0 { progress?(done, log.events.count) }
            _ = replay.apply(event) { decoded, processor in
                switch processor.lastOutcome {
                case .changed(let user) where decoded.kind == .reaction && processor.state.handle(of: decoded.target) == user:
                    // A counted reaction (duplicates and self-reactions are not `.changed`).
                    let index = Int(user.rawValue)
                    if index >= rawAfterLastReaction.count {
                        rawAfterLastReaction.append(contentsOf: repeatElement(.nan, count: index + 1 - rawAfterLastReaction.count))
                    }
                    rawAfterLastReaction[index] = processor.state.rawEngagement(of: user)
                case .erased(let user) where Int(user.rawValue) < rawAfterLastReaction.count:
                    rawAfterLastReaction[Int(user.rawValue)] = .nan
                default:
                    break
                }
            }
        }
        progress?(log.events.count, log.events.count)
        return rawAfterLastReaction.filter { !$0.isNaN }
    }
}
