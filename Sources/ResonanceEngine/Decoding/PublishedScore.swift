/// A v1 score change as read back from the scores topic (Schemas/score-change.v1.schema.json):
/// what the global score table, the dashboard's history and the per-network leaderboards keep.
public struct PublishedScore: Sendable, Equatable, Codable {
    /// The user id.
    public var user: String
    /// The score, 1–100.
    public var score: Double
    /// True Reach.
    public var reach: Double
    /// Amplification.
    public var amplification: Double
    /// Network Impact.
    public var impact: Double
    /// The score on each network.
    public var networks: [String: Double]
    /// The score in each of the user's topics (absent in the message means none).
    public var topics: [String: Double]
    /// Event time of the change, epoch milliseconds.
    public var time: Int64
    /// The change's version (higher is newer).
    public var version: Int64
    /// Whether the user is flagged spam, bot or inactive (absent in the message means false).
    public var flagged: Bool

    /// A published score.
    public init(
        user: String, score: Double, reach: Double, amplification: Double, impact: Double,
        networks: [String: Double], topics: [String: Double] = [:], time: Int64, version: Int64, flagged: Bool = false
    ) {
        self.user = user
        self.score = score
        self.reach = reach
        self.amplification = amplification
        self.impact = impact
        self.networks = networks
        self.topics = topics
        self.time = time
        self.version = version
        self.flagged = flagged
    }

    private enum CodingKeys: String, CodingKey {
        case user, score, reach, amplification, impact, networks, topics, time, version, flagged
    }

    /// Reads a change as the HTTP API shows it (`flagged` absent means false, `topics` absent none).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            user: try container.decode(String.self, forKey: .user), score: try container.decode(Double.self, forKey: .score),
            reach: try container.decode(Double.self, forKey: .reach),
            amplification: try container.decode(Double.self, forKey: .amplification),
            impact: try container.decode(Double.self, forKey: .impact),
            networks: try container.decode([String: Double].self, forKey: .networks),
            topics: try container.decodeIfPresent([String: Double].self, forKey: .topics) ?? [:],
            time: try container.decode(Int64.self, forKey: .time), version: try container.decode(Int64.self, forKey: .version),
            flagged: try container.decodeIfPresent(Bool.self, forKey: .flagged) ?? false)
    }

    /// Writes a change as the HTTP API shows it: `flagged` only when true and `topics` only when
    /// some, as in the scores topic.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(user, forKey: .user)
        try container.encode(score, forKey: .score)
        try container.encode(reach, forKey: .reach)
        try container.encode(amplification, forKey: .amplification)
        try container.encode(impact, forKey: .impact)
        try container.encode(networks, forKey: .networks)
        if !topics.isEmpty { try container.encode(topics, forKey: .topics) }
        try container.encode(time, forKey: .time)
        try container.encode(version, forKey: .version)
        if flagged { try container.encode(true, forKey: .flagged) }
    }

    /// Decodes one score-change message value.
    public static func decode(_ bytes: some Collection<UInt8>) throws(EventRejection) -> PublishedScore {
        let copy = Array(bytes)
        let decoder = ScoreChangeDecoder()
        let result = copy.withUnsafeBytes { raw in Result { () throws(EventRejection) in try decoder.decodePublished(raw) } }
        return try result.get()
    }
}
