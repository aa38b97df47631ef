/// A user's score with its sub-scores, as published on every score change.
public struct ScoreCard: Hashable, Sendable {
    /// The influence score, 1–100 (report with at least one decimal).
    public var score: Double
    /// True Reach: distinct people engaging, decayed (a person counts again only as their earlier
    /// engagement fades).
    public var reach: Double
    /// Amplification: decayed reactions received per decayed post (posts below 1 count as 1).
    public var amplification: Double
    /// Network Impact: the mean score, 1–100, of the people engaging (per reaction, decayed);
    /// 0 when nobody engages.
    public var impact: Double
    /// The score on each network the user has data on, by network name.
    public var networks: [String: Double]
    /// The score in each topic the user holds (at most ``InfluenceState/topicsPerUser``) that
    /// is above 1.005, by topic name; empty for a user with no topics.
    public var topics: [String: Double]

    /// A score card.
    public init(score: Double, reach: Double, amplification: Double, impact: Double, networks: [String: Double], topics: [String: Double] = [:]) {
        self.score = score
        self.reach = reach
        self.amplification = amplification
        self.impact = impact
        self.networks = networks
        self.topics = topics
    }
}
