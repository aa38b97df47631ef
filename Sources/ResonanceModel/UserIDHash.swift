/// The hash the user directory files an id under, computed from the id's bytes.
///
/// Made only from the bytes, so it cannot be paired with the wrong id by accident: the engine
/// computes it on its decoding thread, where there is time to spare, and hands it with the bytes
/// to ``InfluenceState/intern(userID:hash:)`` and ``InfluenceState/readAhead(_:stage:)``.
public struct UserIDHash: Equatable, Sendable {
    /// Never 0 for a real id; 0 is ``none``.
    public let value: UInt64

    /// The hash of an id's UTF-8 bytes.
    @inlinable
    public init(_ id: UnsafeRawBufferPointer) {
        let mixed = StableHash.mix(StableHash.fnv1a64(id))
        value = mixed == 0 ? 1 : mixed
    }

    @usableFromInline
    init(value: UInt64) { self.value = value }

    /// No id (an event without that user).
    public static let none = UserIDHash(value: 0)
}
