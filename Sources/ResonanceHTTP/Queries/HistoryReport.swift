import ResonanceEngine

/// The answer of `GET /v1/users/{id}/history`: a user's recent published scores, oldest first.
public struct HistoryReport: Sendable, Equatable, Codable {
    /// The user id.
    public var user: String
    /// The most points kept per user (older ones are dropped).
    public var capacity: Int
    /// The published changes kept, oldest first.
    public var points: [PublishedScore]
}
