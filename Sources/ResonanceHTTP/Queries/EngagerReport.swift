import ResonanceModel

/// One of the people contributing most to a user's score.
public struct EngagerReport: Sendable, Equatable, Codable {
    /// The engager's id.
    public var user: String
    /// Their weighted, decayed engagement.
    public var contribution: Double
    /// Their share of the listed engagers' total contribution, 0–1.
    public var share: Double
    /// The engager's own score, when known (their influence is what made the contribution large).
    public var score: Double?

    /// Reports for `engagers`, in the given order, each with its share and score.
    static func list(_ engagers: [EngagerContribution], scoreOf: (String) -> Double?) -> [EngagerReport] {
        let total = engagers.reduce(0) { $0 + $1.contribution }
        return engagers.map { engager in
            EngagerReport(
                user: engager.userID, contribution: engager.contribution,
                share: total > 0 ? engager.contribution / total : 0, score: scoreOf(engager.userID))
        }
    }
}
