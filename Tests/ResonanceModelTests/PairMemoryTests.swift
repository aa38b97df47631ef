@testable import ResonanceModel
import Testing

/// The pair memory against a plain model of what it promises: a pair that is present has its
/// exact count; a new pair takes a free entry of its bucket, else replaces the entry with the
/// smallest count (the first such, in bucket order). Two buckets, so they fill constantly.
@Suite("Pair memory")
struct PairMemoryTests {
    @Test("counts are exact while a pair is kept, and a full bucket forgets its weakest pair")
    func matchesPlainModel() {
        var memory = PairMemory(capacity: 8)
        // Per bucket start, the ways' (key, count) as the plain model has them; key 0 is empty.
        var model: [Int: [(key: UInt64, count: Double)]] = [:]
        var generator = SplitMix64(seed: 7)
        var evictions = 0
        var repeats = 0
        for _ in 0..<20_000 {
            let actor = UserHandle(rawValue: UInt32(generator.next() % 6))
            let target = UserHandle(rawValue: UInt32(generator.next() % 6))
            let key = PairMemory.key(actor: actor, target: target)
            let amount = Double(generator.next() % 1_000) / 8
            let start = memory.bucketStart(key)
            var ways = model[start] ?? Array(repeating: (0, 0), count: PairMemory.ways)
            let expected: Double
            if let way = ways.firstIndex(where: { $0.key == key }) {
                expected = ways[way].count
                ways[way].count += amount
                repeats += 1
            } else {
                expected = 0
                let way = ways.firstIndex(where: { $0.key == 0 })
                    ?? ways.indices.min { ways[$0].count < ways[$1].count }!
                if ways[way].key != 0 { evictions += 1 }
                ways[way] = (key, amount)
            }
            model[start] = ways
            #expect(memory.add(amount, to: key) == expected)
            #expect(memory.count(of: key) == expected + amount)
        }
        #expect(evictions > 1_000)
        #expect(repeats > 1_000)
    }
}
