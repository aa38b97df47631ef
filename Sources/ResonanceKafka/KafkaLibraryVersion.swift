/// A librdkafka version as `major.minor.patch`.
public struct KafkaLibraryVersion: Comparable, Sendable, CustomStringConvertible {
    /// Incompatible API changes.
    public var major: Int
    /// Features.
    public var minor: Int
    /// Fixes.
    public var patch: Int

    /// Version `major.minor.patch`.
    public init(major: Int, minor: Int, patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Decodes librdkafka's `0xMMmmrrxx` version integer.
    public init(encoded: UInt32) {
        self.init(
            major: Int((encoded >> 24) & 0xff),
            minor: Int((encoded >> 16) & 0xff),
            patch: Int((encoded >> 8) & 0xff)
        )
    }

    /// Orders by major, then minor, then patch.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    /// `major.minor.patch`.
    public var description: String { "\(major).\(minor).\(patch)" }
}
