/// How well one method's ranking at a cutoff predicts what happened after it.
public struct MethodMetrics: Sendable, Equatable {
    /// The method.
    public var method: EvaluationMethod
    /// Spearman's ρ with the reactions each evaluated user received after the cutoff; nil when
    /// undefined (a constant ranking or outcome).
    public var spearmanReactions: Double?
    /// Spearman's ρ with the number of distinct users who reacted to each evaluated user after the
    /// cutoff.
    public var spearmanReactors: Double?
    /// NDCG@k with gain = reactions received after the cutoff; nil when nobody received any.
    public var ndcg: Double?
    /// Precision@k: the expected overlap of the top k by the method with the top k by reactions
    /// received after the cutoff, over k.
    public var precision: Double
    /// The median rank (1 = highest score, ties sharing the mean of their ranks) of the users
    /// attacked before the cutoff, among the evaluated users; nil when none was.
    public var attackedMedianRank: Double? = nil

    /// A row of metrics.
    public init(method: EvaluationMethod, spearmanReactions: Double?, spearmanReactors: Double?, ndcg: Double?, precision: Double) {
        self.method = method
        self.spearmanReactions = spearmanReactions
        self.spearmanReactors = spearmanReactors
        self.ndcg = ndcg
        self.precision = precision
    }

    /// The metrics of ranking users by `scores` against the outcomes.
    public init(method: EvaluationMethod, scores: [Double], futureReactions: [Double], futureReactors: [Double], k: Int) {
        self.init(
            method: method,
            spearmanReactions: RankCorrelation.spearman(scores, futureReactions),
            spearmanReactors: RankCorrelation.spearman(scores, futureReactors),
            ndcg: TopKMetrics.ndcg(scores: scores, gains: futureReactions, k: k),
            precision: TopKMetrics.precision(scores: scores, truth: futureReactions, k: k))
    }
}
