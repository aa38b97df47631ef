/// The answer of `GET /v1/users/{id}/engagers`: the most influential people engaging with a user.
public struct EngagersReport: Sendable, Equatable, Codable {
    /// The user id.
    public var user: String
    /// Where the answer comes from.
    public var source: UserReport.Source
    /// The engagers, largest contribution first; empty when another instance owns the user.
    public var engagers: [EngagerReport]
    /// Why the list is empty when another instance owns the user.
    public var note: String?
}
