import ResonanceModel

/// Whether a topic score predicts engagement *in its topic* better than the overall score does
/// (`resonance evaluate --by-topic`): at a cutoff, for each topic, the users who received a
/// reaction to a post about it before the cutoff are ranked by their score in the topic, by their
/// overall score, and by two counts (reactions in the topic, all reactions), and each ranking is
/// compared with the reactions to their posts about the topic after the cutoff.
public struct TopicCutoffResult: Sendable {
    /// The topic.
    public var topic: String
    /// Users evaluated: those with at least one reaction in the topic before the cutoff.
    public var evaluatedUsers: Int
    /// Reactions in the topic they received in the outcome window.
    public var futureReactions: Int
    /// Evaluated users who received at least one of them.
    public var usersWithFutureReactions: Int

    /// True when the outcome can judge a ranking: at least three users received reactions in the
    /// topic after the cutoff (a topic whose news ended before it leaves every ranking tied).
    public var isJudged: Bool { usersWithFutureReactions >= 3 }
    /// One row per ranking: the topic score, the overall score, the two counts.
    public var metrics: [MethodMetrics]

    /// The row of a method.
    public func metrics(of method: EvaluationMethod) -> MethodMetrics? {
        metrics.first { $0.method == method }
    }
}

enum TopicEvaluation {
    /// The topics evaluated at `cutoff`: every topic with at least `minimumUsers` users, most
    /// users first (ties by name).
    static func evaluate(
        _ log: EventLog, cutoff: Int64, state: InfluenceState, received: [Double], options: EvaluationOptions
    ) -> [TopicCutoffResult] {
        guard !log.topicNames.isEmpty else { return [] }
        let windowEnd = options.horizon.map { cutoff + $0 }
        // Per topic: reactions each user received before the cutoff and in the window.
        var before = [[Int32: Double]](repeating: [:], count: log.topicNames.count)
        var after = [[Int32: Double]](repeating: [:], count: log.topicNames.count)
        for interaction in log.interactions where interaction.topicSet >= 0 {
            let inWindow = interaction.time >= cutoff && !interaction.injected && (windowEnd.map { interaction.time < $0 } ?? true)
            guard interaction.time < cutoff || inWindow else { continue }
            for topic in log.topicSets[Int(interaction.topicSet)] {
                if interaction.time < cutoff {
                    before[Int(topic)][interaction.target, default: 0] += 1
                } else {
                    after[Int(topic)][interaction.target, default: 0] += 1
                }
            }
        }
        var results: [TopicCutoffResult] = []
        for (index, name) in log.topicNames.enumerated() where before[index].count >= options.topicMinimumUsers {
            let users = before[index].keys.sorted()
            let topic = state.topicID(named: name)
            let handles = users.map { state.handle(of: log.userIDs[Int($0)]) }
            let topicScores = handles.map { handle in handle.flatMap { h in topic.flatMap { state.topicScore(of: h, topic: $0, at: cutoff) } } ?? 1 }
            let overall = handles.map { handle in handle.map { state.score(of: $0, at: cutoff) } ?? 1 }
            let outcome = users.map { after[index][$0] ?? 0 }
            let features: [(EvaluationMethod, [Double])] = [
                (.resonanceTopic, topicScores),
                (.resonance, overall),
                (.topicReactions, users.map { before[index][$0] ?? 0 }),
                (.totalReactions, users.map { received[Int($0)] }),
            ]
            results.append(TopicCutoffResult(
                topic: name, evaluatedUsers: users.count, futureReactions: Int(outcome.reduce(0, +)),
                usersWithFutureReactions: outcome.filter { $0 > 0 }.count,
                metrics: features.map { MethodMetrics(method: $0.0, scores: $0.1, futureReactions: outcome, futureReactors: outcome, k: options.k) }))
        }
        return results.sorted { ($0.evaluatedUsers, $1.topic) > ($1.evaluatedUsers, $0.topic) }
    }
}
