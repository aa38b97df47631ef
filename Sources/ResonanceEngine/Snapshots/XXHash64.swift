/// XXH64 (Yann Collet's xxHash, 64-bit, seed 0), one-shot over a buffer: the snapshot checksum.
/// Several GB/s, so checking a 10,000,000-user snapshot costs a fraction of reading it.
enum XXHash64 {
    private static let prime1: UInt64 = 11_400_714_785_074_694_791
    private static let prime2: UInt64 = 14_029_467_366_897_019_727
    private static let prime3: UInt64 = 1_609_587_929_392_839_161
    private static let prime4: UInt64 = 9_650_029_242_287_828_579
    private static let prime5: UInt64 = 2_870_177_450_012_600_261

    @inline(__always)
    private static func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 {
        (value << bits) | (value >> (64 - bits))
    }

    @inline(__always)
    private static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        rotate(accumulator &+ input &* prime2, 31) &* prime1
    }

    @inline(__always)
    private static func merge(_ accumulator: UInt64, _ value: UInt64) -> UInt64 {
        (accumulator ^ round(0, value)) &* prime1 &+ prime4
    }

    /// The hash of `bytes`.
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return avalanche(seed &+ prime5) }
        var offset = 0
        var hash: UInt64
        @inline(__always) func load64(_ at: Int) -> UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        @inline(__always) func load32(_ at: Int) -> UInt64 { UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt32.self))) }
        if count >= 32 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            while offset + 32 <= count {
                v1 = round(v1, load64(offset))
                v2 = round(v2, load64(offset + 8))
                v3 = round(v3, load64(offset + 16))
                v4 = round(v4, load64(offset + 24))
                offset += 32
            }
            hash = rotate(v1, 1) &+ rotate(v2, 7) &+ rotate(v3, 12) &+ rotate(v4, 18)
            hash = merge(hash, v1)
            hash = merge(hash, v2)
            hash = merge(hash, v3)
            hash = merge(hash, v4)
        } else {
            hash = seed &+ prime5
        }
        hash &+= UInt64(count)
        while offset + 8 <= count {
            hash ^= round(0, load64(offset))
            hash = rotate(hash, 27) &* prime1 &+ prime4
            offset += 8
        }
        if offset + 4 <= count {
            hash ^= load32(offset) &* prime1
            hash = rotate(hash, 23) &* prime2 &+ prime3
            offset += 4
        }
        while offset < count {
            hash ^= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) &* prime5
            hash = rotate(hash, 11) &* prime1
            offset += 1
        }
        return avalanche(hash)
    }

    @inline(__always)
    private static func avalanche(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash &*= prime2
        hash ^= hash >> 29
        hash &*= prime3
        hash ^= hash >> 32
        return hash
    }
}

/// The snapshot checksum: XXH64 of each 1 MiB block, chained, so the writer can hash as it
/// streams and the reader can hash the mapped file, both with the same block boundaries.
struct BlockChecksum {
    static let blockSize = 1 << 20
    private(set) var value: UInt64 = 0x5245_534F_4E41_4E43  // "RESONANC"
    private var blockIndex: UInt64 = 0

    /// Adds one block (exactly `blockSize` bytes, or fewer for the last).
    mutating func add(block: UnsafeRawBufferPointer) {
        value = XXHash64.hash(block, seed: value &+ blockIndex)
        blockIndex += 1
    }

    /// The checksum of a whole buffer.
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var checksum = BlockChecksum()
        var offset = 0
        repeat {
            let end = min(offset + blockSize, bytes.count)
            checksum.add(block: UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
            offset = end
        } while offset < bytes.count
        return checksum.value
    }
}
