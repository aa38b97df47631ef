/// One network's part of a score: each factor's value, decayed to the explanation's time.
/// Codable so that the HTTP API shows it as it is (the property names are the JSON keys).
public struct NetworkExplanation: Hashable, Sendable, Codable {
    /// The network's name.
    public var network: String
    /// The network's score alone, 1–100.
    public var score: Double
    /// *Where*: the network's weight.
    public var whereWeight: Double
    /// Σ *How* · *Who* · repeat factor · *When* over reactions from established actors.
    public var establishedEngagement: Double
    /// The same sum over reactions from low-standing or flagged actors, before the logarithm.
    public var crowdEngagement: Double
    /// What the crowd counts for after *What* and the logarithm.
    public var crowdEffective: Double
    /// Follows and list additions from established actors (slow decay).
    public var lastingEngagement: Double
    /// Every engagement reaction's weight with the enduring half-life (counted × enduring_weight).
    public var enduringEngagement: Double
    /// Days with engagement at full weight, with the enduring half-life (counted × active_day_weight).
    public var activeDays: Double
    /// Decayed posts.
    public var posts: Double
    /// *What*: the multiplier from the number of posts.
    public var whatFactor: Double
    /// True Reach on this network.
    public var reach: Double
    /// Decayed reactions received.
    public var reactions: Double
    /// Mean score of the engagers (Network Impact) on this network.
    public var impact: Double
    /// raw_n, this network's raw engagement.
    public var raw: Double

    /// A network explanation.
    public init(
        network: String, score: Double, whereWeight: Double, establishedEngagement: Double,
        crowdEngagement: Double, crowdEffective: Double, lastingEngagement: Double,
        enduringEngagement: Double, activeDays: Double, posts: Double,
        whatFactor: Double, reach: Double, reactions: Double, impact: Double, raw: Double
    ) {
        self.network = network
        self.score = score
        self.whereWeight = whereWeight
        self.establishedEngagement = establishedEngagement
        self.crowdEngagement = crowdEngagement
        self.crowdEffective = crowdEffective
        self.lastingEngagement = lastingEngagement
        self.enduringEngagement = enduringEngagement
        self.activeDays = activeDays
        self.posts = posts
        self.whatFactor = whatFactor
        self.reach = reach
        self.reactions = reactions
        self.impact = impact
        self.raw = raw
    }
}
