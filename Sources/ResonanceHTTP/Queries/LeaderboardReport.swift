/// The answer of `GET /v1/leaderboard`.
public struct LeaderboardReport: Sendable, Equatable, Codable {
    /// One ranked user.
    public struct Entry: Sendable, Equatable, Codable {
        /// 1 for the top user.
        public var rank: Int
        /// The user id.
        public var user: String
        /// The score (overall, or on the network or in the topic asked for), 1–100.
        public var score: Double
    }

    /// The network ranked on; `nil` for overall or topic scores.
    public var network: String?
    /// The topic ranked on; `nil` for overall or network scores.
    public var topic: String?
    /// The most entries asked for.
    public var limit: Int
    /// Users ranked from (the size of the table the entries come from).
    public var users: Int
    /// The top users, highest score first (ties by user id).
    public var entries: [Entry]
}
