/// A user's influence in one topic and why: the engagement their posts about it drew, weighed
/// like the overall score's (docs/SCORING.md, "Topics").
public struct TopicScore: Hashable, Sendable {
    /// The topic's name.
    public var topic: String
    /// The topic score, 1–100, on the overall score's scale (without the lasting bonus, which is
    /// not about any topic).
    public var score: Double
    /// The raw engagement in the topic, the scale's input.
    public var raw: Double
    /// Engagement from established actors, decayed, *Where*-weighted.
    public var establishedEngagement: Double
    /// Engagement from the low-standing crowd, decayed, *Where*-weighted.
    public var crowdEngagement: Double
    /// The crowd's engagement as it counts: `crowd_scale · ln(1 + crowd · what / crowd_scale)`.
    public var crowdEffective: Double
    /// The enduring engagement, decayed with the enduring half-life.
    public var enduringEngagement: Double
    /// Days with engagement in the topic, decayed with the enduring half-life.
    public var activeDays: Double
    /// Posts about the topic, decayed.
    public var posts: Double
    /// The topic's *What* factor.
    public var whatFactor: Double
    /// The topic's top engagers, largest contribution first.
    public var topEngagers: [EngagerContribution]

    /// A topic score.
    public init(
        topic: String, score: Double, raw: Double, establishedEngagement: Double, crowdEngagement: Double,
        crowdEffective: Double, enduringEngagement: Double, activeDays: Double, posts: Double, whatFactor: Double, topEngagers: [EngagerContribution]
    ) {
        self.topic = topic
        self.score = score
        self.raw = raw
        self.establishedEngagement = establishedEngagement
        self.crowdEngagement = crowdEngagement
        self.crowdEffective = crowdEffective
        self.enduringEngagement = enduringEngagement
        self.activeDays = activeDays
        self.posts = posts
        self.whatFactor = whatFactor
        self.topEngagers = topEngagers
    }
}
