/// Why a user has their score: the breakdown by factor and network and the people who contributed
/// most (Klout's opacity was its main criticism).
public struct ScoreExplanation: Hashable, Sendable {
    /// The user's id.
    public var userID: String
    /// The score, 1–100.
    public var score: Double
    /// Raw engagement Σ raw_n, the input of the scale.
    public var raw: Double
    /// The score of the raw engagement alone, before the lasting bonus.
    public var engagementScore: Double
    /// The long-lasting signal (followers, weighted following and lists, crowd follows).
    public var lastingSignal: Double
    /// Points the long-lasting signal adds (at most `lasting_max_points`).
    public var lastingBonus: Double
    /// The scale used.
    public var scale: ScoreScale
    /// Per network.
    public var networks: [NetworkExplanation]
    /// The top contributing engagers, largest contribution first.
    public var topEngagers: [EngagerContribution]
    /// The event time the explanation is for (the state's watermark).
    public var time: Int64

    /// An explanation.
    public init(
        userID: String, score: Double, raw: Double, engagementScore: Double, lastingSignal: Double,
        lastingBonus: Double, scale: ScoreScale, networks: [NetworkExplanation],
        topEngagers: [EngagerContribution], time: Int64
    ) {
        self.userID = userID
        self.score = score
        self.raw = raw
        self.engagementScore = engagementScore
        self.lastingSignal = lastingSignal
        self.lastingBonus = lastingBonus
        self.scale = scale
        self.networks = networks
        self.topEngagers = topEngagers
        self.time = time
    }
}
