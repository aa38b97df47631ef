/// Everything measured at one cutoff.
public struct CutoffResult: Sendable {
    /// The cutoff, epoch milliseconds: the model and the baselines see events strictly before it.
    public var cutoff: Int64
    /// The end of the outcome window (exclusive), epoch milliseconds; nil for "to the end of the data".
    public var windowEnd: Int64?
    /// Users evaluated: those who received at least one counted reaction before the cutoff.
    public var evaluatedUsers: Int
    /// Evaluated users who received at least one reaction in the outcome window.
    public var usersWithFutureReactions: Int
    /// Reactions the evaluated users received in the outcome window.
    public var futureReactions: Int
    /// Counted reactions before the cutoff.
    public var reactionsBefore: Int
    /// Power iterations PageRank needed, and its final L1 change.
    public var pageRankIterations: Int
    /// PageRank's final L1 change (below the tolerance when it converged).
    public var pageRankResidual: Double
    /// The evaluated users' Resonance scores at the cutoff.
    public var scores: ScoreDistribution
    /// One row per method, in ``EvaluationMethod`` order.
    public var metrics: [MethodMetrics]
    /// Per topic, with `--by-topic`: most evaluated users first.
    public var topics: [TopicCutoffResult] = []

    /// The row of a method.
    public func metrics(of method: EvaluationMethod) -> MethodMetrics? {
        metrics.first { $0.method == method }
    }

    /// True when Resonance's score beats every baseline on both Spearman coefficients and on NDCG
    /// (strictly; an undefined value never wins).
    public var resonanceWins: Bool {
        guard let model = metrics(of: .resonance) else { return false }
        for row in metrics where row.method != .resonance {
            for (mine, theirs) in [(model.spearmanReactions, row.spearmanReactions), (model.spearmanReactors, row.spearmanReactors), (model.ndcg, row.ndcg)] {
                guard let mine else { return false }
                if let theirs, theirs >= mine { return false }
            }
        }
        return true
    }
}
