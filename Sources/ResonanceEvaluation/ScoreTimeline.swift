/// One user's score through a replay, sampled at regular event times.
public struct ScoreTimeline: Sendable, Equatable {
    /// The user's id.
    public var user: String
    /// Reactions the user received in the whole data set (why the user was picked).
    public var reactionsReceived: Int
    /// Distinct days on which the user received reactions.
    public var activeDays: Int
    /// (event time in epoch milliseconds, score) pairs in time order.
    public var points: [(time: Int64, score: Double)]

    /// A timeline.
    public init(user: String, reactionsReceived: Int, activeDays: Int, points: [(time: Int64, score: Double)] = []) {
        self.user = user
        self.reactionsReceived = reactionsReceived
        self.activeDays = activeDays
        self.points = points
    }

    public static func == (lhs: ScoreTimeline, rhs: ScoreTimeline) -> Bool {
        lhs.user == rhs.user && lhs.reactionsReceived == rhs.reactionsReceived && lhs.activeDays == rhs.activeDays
            && lhs.points.elementsEqual(rhs.points) { $0.time == $1.time && $0.score == $1.score }
    }
}
