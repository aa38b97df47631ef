import Foundation

/// A v1 score change as read back from the scores topic (Schemas/score-change.v1.schema.json):
/// what the dashboard's history and the per-network leaderboard keep.
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
    /// Event time of the change, epoch milliseconds.
    public var time: Int64
    /// The change's version (higher is newer).
    public var version: Int64

    /// A published score.
    public init(
        user: String, score: Double, reach: Double, amplification: Double, impact: Double,
        networks: [String: Double], time: Int64, version: Int64
    ) {
        self.user = user
        self.score = score
        self.reach = reach
        self.amplification = amplification
        self.impact = impact
        self.networks = networks
        self.time = time
        self.version = version
    }

    /// Decodes one score-change message value.
    public static func decode(_ bytes: some Collection<UInt8>) throws -> PublishedScore {
        try JSONDecoder().decode(PublishedScore.self, from: Data(bytes))
    }
}
