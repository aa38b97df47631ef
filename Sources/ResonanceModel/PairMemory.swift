/// A bounded memory of how often each actor reacted to each target, forward-decayed.
///
/// Four-way set-associative: a pair lives in one bucket of four entries; when a new pair finds its
/// bucket full, it replaces the entry with the smallest count (the weakest, most decayed pair, which
/// is the cheapest to forget: forgetting it only makes that pair's next reaction count as fresh).
/// Counts are stored relative to the state's landmark, so they compare directly without `exp`.
/// Unlike a count-min sketch, a pair that is present has its exact count, and an undo subtracts
/// exactly what its reaction added.
struct PairMemory: Sendable {
    static let ways = 4
    /// Pair keys: (actor + 1) << 32 | (target + 1); 0 when empty.
    var keys: PagedArray<UInt64>
    /// Landmark-relative decayed counts.
    var counts: PagedArray<Double>

    init(capacity: Int) {
        var entries = PairMemory.ways
        while entries < capacity { entries <<= 1 }
        keys = PagedArray(pageShift: 14, filler: 0, count: entries)
        counts = PagedArray(pageShift: 14, filler: 0, count: entries)
    }

    @inline(__always)
    static func key(actor: UserHandle, target: UserHandle) -> UInt64 {
        UInt64(actor.rawValue &+ 1) << 32 | UInt64(target.rawValue &+ 1)
    }

    @inline(__always)
    private func bucketStart(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: StableHash.mix(key)) & (keys.count - 1) & ~(PairMemory.ways - 1)
    }

    /// The landmark-relative count of a pair, 0 when absent.
    func count(of key: UInt64) -> Double {
        let start = bucketStart(key)
        for entry in start..<(start + PairMemory.ways) where keys[entry] == key { return counts[entry] }
        return 0
    }

    /// Adds `amount` (landmark-relative) to a pair, making room if needed.
    mutating func add(_ amount: Double, to key: UInt64) {
        let start = bucketStart(key)
        var weakest = start
        for entry in start..<(start + PairMemory.ways) {
            if keys[entry] == key {
                counts[entry] += amount
                return
            }
            if keys[weakest] != 0 && (keys[entry] == 0 || counts[entry] < counts[weakest]) { weakest = entry }
        }
        keys[weakest] = key
        counts[weakest] = amount
    }

    /// Subtracts `amount` from a pair if it is still remembered (an undo).
    mutating func subtract(_ amount: Double, from key: UInt64) {
        let start = bucketStart(key)
        for entry in start..<(start + PairMemory.ways) where keys[entry] == key {
            counts[entry] = Swift.max(0, counts[entry] - amount)
            return
        }
    }

    /// Forgets every pair that involves `handle` (an erase); bounded by the memory's capacity.
    mutating func removeAll(involving handle: UserHandle) {
        let tag = UInt64(handle.rawValue &+ 1)
        for entry in 0..<keys.count {
            let key = keys[entry]
            if key != 0 && (key >> 32 == tag || key & 0xFFFF_FFFF == tag) {
                keys[entry] = 0
                counts[entry] = 0
            }
        }
    }

    /// Multiplies every count by `factor` (a landmark rebase).
    mutating func rescale(by factor: Double) {
        for entry in 0..<counts.count where keys[entry] != 0 { counts[entry] *= factor }
    }
}
