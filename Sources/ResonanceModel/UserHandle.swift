/// A user interned in one ``InfluenceState``: a dense index into its paged records.
///
/// Handles are per state (per input partition) and never reused after an erase, so a stale handle
/// can never name another user.
public struct UserHandle: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The dense index.
    public var rawValue: UInt32

    /// Wraps a dense index.
    @inlinable
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Orders handles by index (the order in which users were first seen).
    @inlinable
    public static func < (lhs: UserHandle, rhs: UserHandle) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `#index`, for logs and test messages.
    public var description: String { "#\(rawValue)" }
}
