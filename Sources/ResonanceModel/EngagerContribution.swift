/// One of the people who contributed most to a score.
public struct EngagerContribution: Hashable, Sendable {
    /// The engager's user id.
    public var userID: String
    /// Their weighted engagement (*How* · *Who* · repeat factor · *When*), decayed to now.
    public var contribution: Double

    /// An engager's contribution.
    public init(userID: String, contribution: Double) {
        self.userID = userID
        self.contribution = contribution
    }
}
