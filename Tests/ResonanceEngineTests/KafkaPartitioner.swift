/// Kafka's default partitioner for keyed messages (Java clients; librdkafka's `murmur2_random`):
/// murmur2 of the key bytes, made positive, modulo the partition count. The tests use it to know
/// which partition a user's events land in; the product leaves partitioning to librdkafka.
enum KafkaPartitioner {
    /// Kafka's murmur2 (seed 0x9747b28c).
    static func murmur2(_ key: UnsafeRawBufferPointer) -> Int32 {
        let length = key.count
        let seed: UInt32 = 0x9747_b28c
        let m: UInt32 = 0x5bd1_e995
        var h = seed ^ UInt32(truncatingIfNeeded: length)
        var index = 0
        while index + 4 <= length {
            var k = UInt32(key[index]) | UInt32(key[index + 1]) << 8 | UInt32(key[index + 2]) << 16 | UInt32(key[index + 3]) << 24
            k &*= m
            k ^= k >> 24
            k &*= m
            h &*= m
            h ^= k
            index += 4
        }
        switch length & 3 {
        case 3:
            h ^= UInt32(key[index + 2]) << 16
            h ^= UInt32(key[index + 1]) << 8
            h ^= UInt32(key[index])
            h &*= m
        case 2:
            h ^= UInt32(key[index + 1]) << 8
            h ^= UInt32(key[index])
            h &*= m
        case 1:
            h ^= UInt32(key[index])
            h &*= m
        default:
            break
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// The partition a key lands in among `count`.
    static func partition(of key: UnsafeRawBufferPointer, count: Int) -> Int32 {
        Int32((Int(murmur2(key)) & 0x7fff_ffff) % max(count, 1))
    }
}
