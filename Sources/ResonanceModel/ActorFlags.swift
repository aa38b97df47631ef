/// Classifier flags set upstream on a user's profile: a flagged actor counts close to nothing.
public struct ActorFlags: OptionSet, Hashable, Sendable {
    /// The flag bits.
    public var rawValue: UInt8

    /// Wraps flag bits.
    @inlinable
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Classified as a spam account.
    public static let spam = ActorFlags(rawValue: 1)
    /// Classified as an automated account.
    public static let bot = ActorFlags(rawValue: 2)
    /// Classified as an abandoned account.
    public static let inactive = ActorFlags(rawValue: 4)
}
