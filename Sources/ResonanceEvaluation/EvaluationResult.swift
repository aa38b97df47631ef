/// The outcome of ``Evaluation/run(log:configuration:options:)``.
public struct EvaluationResult: Sendable {
    /// One result per cutoff, in ascending cutoff order.
    public var cutoffs: [CutoffResult]
    /// Scores of every user who received at least one counted reaction, each taken right after the
    /// last reaction the user received (the value published then, before decay; the population the
    /// scale is calibrated on).
    public var distribution: ScoreDistribution
    /// The followed users' scores over time.
    public var timelines: [ScoreTimeline]
    /// Events replayed, and events the processor rejected.
    public var eventsReplayed: Int
    /// Events the processor rejected (dead letters).
    public var eventsRejected: Int
    /// Distinct users in the data.
    public var users: Int
    /// The time span of the data, epoch milliseconds.
    public var timeSpan: ClosedRange<Int64>?

    /// True when Resonance beats every baseline on Spearman and NDCG at `count` or more cutoffs.
    public func resonanceWins(atLeast count: Int) -> Bool {
        cutoffs.filter(\.resonanceWins).count >= count
    }
}
