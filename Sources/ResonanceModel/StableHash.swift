/// A 64-bit hash that is the same in every process, on every run and every machine (FNV-1a 64),
/// unlike Swift's per-process seeded `Hasher`.
///
/// Event ids are hashed with it for duplicate detection and undo matching, and the engine must use
/// the same function so that its hashes match the state's.
public enum StableHash {
    /// The FNV-1a 64-bit offset basis.
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The FNV-1a 64-bit prime.
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// FNV-1a 64 of the bytes.
    @inlinable
    public static func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = offsetBasis
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* prime
        }
        return hash
    }

    /// FNV-1a 64 of a string's UTF-8 bytes (convenience for tests and tools, not the hot path).
    public static func fnv1a64(_ string: String) -> UInt64 {
        var copy = string
        return copy.withUTF8 { fnv1a64(UnsafeRawBufferPointer($0)) }
    }

    /// Spreads a hash's entropy over all bits (the murmur3 finalizer); FNV's low bits alone are
    /// weak table indices for short keys.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return x
    }
}
