import ResonanceModel

/// The answer of `GET /v1/users/{id}`.
public struct UserReport: Sendable, Equatable, Codable {
    /// Where the answer comes from.
    public enum Source: String, Sendable, Codable {
        /// This instance owns the user's partition: the live state, explanation included.
        case partitionState = "partition_state"
        /// Another instance owns it: the latest published score from the scores topic.
        case scoreTable = "score_table"
    }

    /// The user id.
    public var user: String
    /// The score, 1–100.
    public var score: Double
    /// True Reach, when known here.
    public var reach: Double?
    /// Amplification, when known here.
    public var amplification: Double?
    /// Network Impact, when known here.
    public var impact: Double?
    /// The score on each network, when known here.
    public var networks: [String: Double]?
    /// Where the answer comes from.
    public var source: Source
    /// The input partition holding the user, when owned here.
    public var partition: Int32?
    /// The version of the latest published change, when one was read.
    public var version: Int64?
    /// Whether the user is flagged spam, bot or inactive (from published changes).
    public var flagged: Bool?
    /// The factors and top engagers, when this instance owns the user's partition.
    public var explanation: ExplanationReport?
    /// Why there is no explanation, when there is none.
    public var explanationNote: String?
}

/// A ``ScoreExplanation`` in JSON form.
public struct ExplanationReport: Sendable, Equatable, Codable {
    /// Raw engagement Σ raw_n, the input of the scale.
    public var raw: Double
    /// The score of the raw engagement alone.
    public var engagementScore: Double
    /// The long-lasting signal.
    public var lastingSignal: Double
    /// Points the long-lasting signal adds.
    public var lastingBonus: Double
    /// Event time the explanation is for, epoch milliseconds.
    public var time: Int64
    /// Per network: each factor.
    public var networks: [NetworkExplanation]
    /// The top contributing engagers, largest first.
    public var topEngagers: [EngagerReport]

    /// The JSON form of `explanation`, engagers' scores looked up with `scoreOf`.
    public init(_ explanation: ScoreExplanation, scoreOf: (String) -> Double?) {
        raw = explanation.raw
        engagementScore = explanation.engagementScore
        lastingSignal = explanation.lastingSignal
        lastingBonus = explanation.lastingBonus
        time = explanation.time
        networks = explanation.networks
        topEngagers = EngagerReport.list(explanation.topEngagers, scoreOf: scoreOf)
    }
}
