import ResonanceModel

/// The answer of `GET /v1/users/{id}/topics`: a user's influence per topic, strongest first.
public struct UserTopicsReport: Sendable, Equatable, Codable {
    /// The user id.
    public var user: String
    /// Where the answer comes from.
    public var source: UserReport.Source
    /// The user's topics, highest score first (ties by name); empty for a user with none.
    public var topics: [TopicReport]
    /// Why the terms and engagers are missing, when another instance owns the user.
    public var note: String?
}

/// One topic of a user: the score, and, from the owning instance, its terms (as in
/// docs/SCORING.md, "Topics") and top engagers.
public struct TopicReport: Sendable, Equatable, Codable {
    /// The topic.
    public var topic: String
    /// The topic score, 1–100.
    public var score: Double
    /// The raw engagement in the topic, the scale's input.
    public var raw: Double?
    /// Engagement from established actors, decayed.
    public var establishedEngagement: Double?
    /// Engagement from the low-standing crowd, decayed.
    public var crowdEngagement: Double?
    /// The crowd's engagement as it counts (logarithmic).
    public var crowdEffective: Double?
    /// The enduring engagement.
    public var enduringEngagement: Double?
    /// Days with engagement in the topic, decayed.
    public var activeDays: Double?
    /// Posts about the topic, decayed.
    public var posts: Double?
    /// The topic's *What* factor.
    public var whatFactor: Double?
    /// The topic's top engagers, largest contribution first.
    public var topEngagers: [EngagerReport]

    /// The JSON form of a topic score from the owning state, engagers' scores looked up with `scoreOf`.
    init(_ topic: TopicScore, scoreOf: (String) -> Double?) {
        self.topic = topic.topic
        score = topic.score
        raw = topic.raw
        establishedEngagement = topic.establishedEngagement
        crowdEngagement = topic.crowdEngagement
        crowdEffective = topic.crowdEffective
        enduringEngagement = topic.enduringEngagement
        activeDays = topic.activeDays
        posts = topic.posts
        whatFactor = topic.whatFactor
        topEngagers = EngagerReport.list(topic.topEngagers, scoreOf: scoreOf)
    }

    /// A topic score as published on the scores topic: the score alone.
    init(topic: String, score: Double) {
        self.topic = topic
        self.score = score
        topEngagers = []
    }
}

/// The answer of `GET /v1/topics`: the topics users have published scores in.
public struct TopicsReport: Sendable, Equatable, Codable {
    /// One topic.
    public struct Entry: Sendable, Equatable, Codable {
        /// The topic.
        public var topic: String
        /// How many users have a published score in it.
        public var users: Int
    }

    /// Topics, most users first (ties by name), at most `limit`.
    public var topics: [Entry]
    /// How many topics there are in all.
    public var total: Int
}
