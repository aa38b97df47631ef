/// Upstream classifiers' verdicts on a user, from a profile event's `flags`.
/// A flagged user's reactions count close to nothing.
public struct ProfileFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The account sends spam.
    public static let spam = ProfileFlags(rawValue: 1 << 0)
    /// The account is automated.
    public static let bot = ProfileFlags(rawValue: 1 << 1)
    /// The account is dormant.
    public static let inactive = ProfileFlags(rawValue: 1 << 2)
}
