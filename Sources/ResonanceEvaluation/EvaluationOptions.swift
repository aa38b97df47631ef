/// What an evaluation measures and how.
public struct EvaluationOptions: Sendable, Equatable {
    /// Cutoff times, epoch milliseconds; evaluated in ascending order.
    public var cutoffs: [Int64] = []
    /// How long after each cutoff outcomes are counted, in milliseconds; nil counts everything
    /// after the cutoff to the end of the data.
    public var horizon: Int64?
    /// The k of NDCG@k and precision@k.
    public var k = 100
    /// The window of the "reactions in the last day" baseline, in milliseconds.
    public var recentWindow: Int64 = 86_400_000
    /// PageRank's damping factor.
    public var damping = 0.85
    /// PageRank stops when one iteration changes the values by less than this (L1).
    public var pageRankTolerance = 1e-10
    /// How many users' scores to follow through the replay.
    public var timelineUsers = 4
    /// How many samples each timeline has across the data's time span.
    public var timelineSamples = 2000

    /// Defaults: no cutoffs, outcomes to the end of the data, k = 100.
    /// Users attacked before each cutoff (``AttackPlan/targets``): their median rank by each
    /// method is reported.
    public var attackedUsers: [Int64: [String]] = [:]
    /// Evaluate each topic's ranking too (``TopicCutoffResult``).
    public var byTopic = false
    /// The fewest users with reactions in a topic before a cutoff for the topic to be evaluated.
    public var topicMinimumUsers = 10

    public init() {}
}
