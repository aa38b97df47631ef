import ResonanceEngine
import ResonanceModel

/// Every question the HTTP API answers, with no HTTP in it: routes parse the request, call one
/// method and encode the result or the ``QueryError``.
///
/// Sources, per the design's ownership rule: the partition states this instance owns (from the
/// latest ``PipelineProgress`` copy) answer with full explanations; every other user is answered
/// from the ``GlobalScoreTable`` (every instance follows the whole scores topic) and the
/// ``ScoreHistory`` (sub-scores, per-network scores and history of published changes).
public struct InfluenceQueries: Sendable {
    /// The most entries a leaderboard returns.
    public static let maximumLimit = 1000
    /// Entries a leaderboard returns when no limit is given.
    public static let defaultLimit = 10

    private let view: PipelineView
    private let table: GlobalScoreTable
    private let history: ScoreHistory
    private let configuredNetworks: Set<String>
    /// Who counts as active in the distribution: the model's half-life, days.
    private let activeWindowDays: Double

    /// Queries over the given sources; `configuredNetworks` (the model's network weights) are
    /// valid leaderboard networks even before anyone has a score on them; `activeWindowDays` (the
    /// model's half-life) is how recent a user's latest change must be to count as active.
    public init(
        view: PipelineView, table: GlobalScoreTable, history: ScoreHistory, configuredNetworks: Set<String>,
        activeWindowDays: Double = ModelConfiguration().halfLifeDays
    ) {
        self.view = view
        self.table = table
        self.history = history
        self.configuredNetworks = configuredNetworks
        self.activeWindowDays = activeWindowDays
    }

    /// The owned partition state that tracks `user`, if any.
    private func owned(_ user: String, in progress: PipelineProgress?) -> (ObservedPartition, UserHandle)? {
        guard let progress else { return nil }
        for processor in progress.partitions.values {
            if let handle = processor.state.handle(of: user), processor.state.isTracked(handle) {
                return (processor, handle)
            }
        }
        return nil
    }

    /// A user's current score from wherever it is best known: an owned state, else the table.
    private func score(of user: String, in progress: PipelineProgress?) -> Double? {
        if let (processor, handle) = owned(user, in: progress) { return processor.state.score(of: handle) }
        return table.entry(for: user)?.score
    }

    private static let elsewhere =
        "this instance does not own the user's partition: the explanation lives on the instance that does"

    /// `GET /v1/users/{id}`.
    public func user(_ user: String) throws(QueryError) -> UserReport {
        let progress = view.latest
        let published = table.entry(for: user)
        if let (processor, handle) = owned(user, in: progress), let card = processor.state.scoreCard(of: handle) {
            let explanation = processor.state.explain(handle).map { explanation in
                ExplanationReport(explanation) { score(of: $0, in: progress) }
            }
            return UserReport(
                user: user, score: card.score, reach: card.reach, amplification: card.amplification,
                impact: card.impact, networks: card.networks, source: .partitionState,
                partition: processor.partition, version: published?.version, flagged: published?.flagged,
                explanation: explanation,
                explanationNote: explanation == nil ? "no reactions received yet: nothing to explain" : nil)
        }
        guard let published else { throw QueryError(.notFound, "no score for user '\(user)'") }
        let latest = history.latest(of: user).flatMap { $0.version == published.version ? $0 : nil }
        return UserReport(
            user: user, score: published.score, reach: latest?.reach, amplification: latest?.amplification,
            impact: latest?.impact, networks: latest?.networks, source: .scoreTable, partition: nil,
            version: published.version, flagged: published.flagged, explanation: nil,
            explanationNote: Self.elsewhere)
    }

    /// `GET /v1/users/{id}/engagers`.
    public func engagers(of user: String) throws(QueryError) -> EngagersReport {
        let progress = view.latest
        if let (processor, handle) = owned(user, in: progress) {
            let engagers = processor.state.explain(handle)?.topEngagers ?? []
            return EngagersReport(
                user: user, source: .partitionState,
                engagers: EngagerReport.list(engagers) { score(of: $0, in: progress) }, note: nil)
        }
        guard table.entry(for: user) != nil else { throw QueryError(.notFound, "no score for user '\(user)'") }
        return EngagersReport(user: user, source: .scoreTable, engagers: [], note: Self.elsewhere)
    }

    /// Parses the `limit` parameter: a positive integer up to ``maximumLimit``.
    public static func limit(_ text: String?) throws(QueryError) -> Int {
        guard let text else { return defaultLimit }
        guard let value = Int(text), (1...maximumLimit).contains(value) else {
            throw QueryError(.badRequest, "limit must be an integer from 1 to \(maximumLimit), not '\(text)'")
        }
        return value
    }

    /// The networks a leaderboard can rank on.
    public var networks: [String] {
        configuredNetworks.union(history.networks).sorted()
    }

    /// `GET /v1/leaderboard?network=&topic=&limit=`: the top users overall (from the global score
    /// table), on one network or in one topic (from the published per-network and per-topic
    /// scores); flagged users are left out of each.
    public func leaderboard(network: String?, topic: String? = nil, limit text: String?) throws(QueryError) -> LeaderboardReport {
        let limit = try Self.limit(text)
        let candidates: [(user: String, score: Double)]
        let network = network.flatMap { $0.isEmpty ? nil : $0 }
        let topic = topic.flatMap { $0.isEmpty ? nil : $0 }
        if network != nil && topic != nil {
            throw QueryError(.badRequest, "rank on a network or on a topic, not both")
        }
        if let topic {
            let scores = history.scores(inTopic: topic)
            guard !scores.isEmpty else {
                throw QueryError(.notFound, "no published score in topic '\(topic)'; GET /v1/topics lists the topics")
            }
            candidates = scores.filter { table.entry(for: $0.key)?.flagged != true }.map { ($0.key, $0.value) }
        } else if let network {
            let known = networks
            guard known.contains(network) else {
                throw QueryError(.badRequest, "unknown network '\(network)'; known networks: \(known.joined(separator: ", "))")
            }
            candidates = history.scores(on: network).filter { table.entry(for: $0.key)?.flagged != true }.map { ($0.key, $0.value) }
        } else {
            candidates = table.allEntries().filter { !$0.flagged }.map { ($0.user, $0.score) }
        }
        let top = Self.top(limit, of: candidates)
        return LeaderboardReport(
            network: network, topic: topic, limit: limit, users: candidates.count,
            entries: top.enumerated().map { LeaderboardReport.Entry(rank: $0.offset + 1, user: $0.element.user, score: $0.element.score) })
    }

    /// The `count` highest scores, highest first (ties by user id), in O(n log count) rather than
    /// sorting every user on each request.
    static func top(_ count: Int, of candidates: [(user: String, score: Double)]) -> [(user: String, score: Double)] {
        func before(_ a: (user: String, score: Double), _ b: (user: String, score: Double)) -> Bool {
            a.score != b.score ? a.score > b.score : a.user < b.user
        }
        var top: [(user: String, score: Double)] = []
        top.reserveCapacity(count + 1)
        for candidate in candidates {
            if top.count == count, let last = top.last, !before(candidate, last) { continue }
            var low = 0
            var high = top.count
            while low < high {
                let middle = (low + high) / 2
                if before(top[middle], candidate) { low = middle + 1 } else { high = middle }
            }
            top.insert(candidate, at: low)
            if top.count > count { top.removeLast() }
        }
        return top
    }

    /// `GET /v1/distribution`: every published score, in bands of 5 points.
    /// With `activeOnly`, only users active within the model's half-life: those whose latest
    /// change is at most a half-life older than the newest change seen (event time). A user who
    /// decayed to a few points long ago says little about the scores that matter now.
    public func distribution(activeOnly: Bool = false) -> ScoreBands {
        let entries = table.allEntries()
        guard activeOnly else { return ScoreBands(scores: entries.lazy.map(\.score)) }
        let newest = entries.lazy.map(\.time).max() ?? 0
        let window = Int64(activeWindowDays * 86_400_000)
        var bands = ScoreBands(scores: entries.lazy.filter { newest - $0.time <= window }.map(\.score))
        bands.activeWithinDays = activeWindowDays
        return bands
    }

    /// `GET /v1/users/{id}/topics`: from the owned state, each topic's terms and engagers; from
    /// the scores topic, the latest published topic scores.
    public func topics(of user: String) throws(QueryError) -> UserTopicsReport {
        let progress = view.latest
        if let (processor, handle) = owned(user, in: progress) {
            let topics = processor.state.topicScores(of: handle).map { TopicReport($0) { score(of: $0, in: progress) } }
            return UserTopicsReport(user: user, source: .partitionState, topics: topics, note: nil)
        }
        guard let published = table.entry(for: user) else { throw QueryError(.notFound, "no score for user '\(user)'") }
        let latest = history.latest(of: user).flatMap { $0.version == published.version ? $0 : nil }
        let topics = (latest?.topics ?? [:]).map { TopicReport(topic: $0.key, score: $0.value) }
            .sorted { ($0.score, $1.topic) > ($1.score, $0.topic) }
        return UserTopicsReport(user: user, source: .scoreTable, topics: topics, note: Self.elsewhere)
    }

    /// `GET /v1/topics?limit=`: the topics with published scores, most users first.
    public func topics(limit text: String?) throws(QueryError) -> TopicsReport {
        let limit = try Self.limit(text ?? String(Self.maximumLimit))
        let counts = history.topics
        let top = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit)
        return TopicsReport(topics: top.map { TopicsReport.Entry(topic: $0.key, users: $0.value) }, total: counts.count)
    }

    /// `GET /v1/users/{id}/history`.
    public func history(of user: String) throws(QueryError) -> HistoryReport {
        let points = history.points(of: user)
        if points.isEmpty, table.entry(for: user) == nil, owned(user, in: view.latest) == nil {
            throw QueryError(.notFound, "no score for user '\(user)'")
        }
        return HistoryReport(user: user, capacity: history.pointsPerUser, points: points)
    }
}
