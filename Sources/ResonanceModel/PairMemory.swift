/// A bounded memory of how often each actor reacted to each target, forward-decayed.
///
/// Four-way set-associative: a pair lives in one bucket of four entries (64 bytes, one cache
/// line); when a new pair finds its bucket full, it replaces the entry with the smallest count
/// (the weakest, most decayed pair, which is the cheapest to forget: forgetting it only makes that
/// pair's next reaction count as fresh). Counts are stored relative to the state's landmark, so
/// they compare directly without `exp`. Unlike a count-min sketch, a pair that is present has its
/// exact count, and an undo subtracts exactly what its reaction added.
///
/// The table grows with the input: it starts at one page (4,096 entries) and, instead of evicting,
/// doubles whenever a new pair finds its bucket full, until it reaches `capacity` entries. Until
/// then nothing is forgotten, and a bucket of the doubled table holds a subset of one bucket of
/// the smaller, so putting the pairs back never overflows: only the full-size table evicts, as it
/// would have from the start.
struct PairMemory: Sendable {
    /// One remembered pair; all zero when empty. 16 bytes, no padding.
    struct Entry: SetAssociativeEntry, Equatable {
        /// (actor + 1) << 32 | (target + 1); 0 when empty.
        var key: UInt64 = 0
        /// Landmark-relative decayed count.
        var count: Double = 0
    }

    static let ways = 4
    /// Entries per page, and the size a table starts at (64 KB).
    static let pageShift = 12
    var entries: PagedArray<Entry>
    /// The entry count for `capacity` pairs, where growing stops.
    let fullCount: Int

    init(capacity: Int) {
        fullCount = PagedArray<Entry>.fullCount(forCapacity: capacity, ways: PairMemory.ways)
        entries = PagedArray(pageShift: Self.pageShift, filler: Entry(), count: Swift.min(fullCount, 1 << Self.pageShift))
    }

    /// Takes entries read from a snapshot: a power of two from a bucket up to the full size (a
    /// state written before tables grew has the full size). Returns false for an impossible count.
    mutating func adopt(_ stored: PagedArray<Entry>) -> Bool {
        guard PagedArray<Entry>.isTableSize(stored.count, ways: PairMemory.ways, fullCount: fullCount) else { return false }
        entries = stored
        return true
    }

    @inline(__always)
    static func key(actor: UserHandle, target: UserHandle) -> UInt64 {
        UInt64(actor.rawValue &+ 1) << 32 | UInt64(target.rawValue &+ 1)
    }

    @inline(__always)
    func bucketStart(_ key: UInt64) -> Int {
        entries.bucketStart(key, ways: PairMemory.ways)
    }

    /// The landmark-relative count of a pair, 0 when absent.
    func count(of key: UInt64) -> Double {
        let start = bucketStart(key)
        for slot in start..<(start + PairMemory.ways) {
            let entry = entries[slot]
            if entry.key == key { return entry.count }
        }
        return 0
    }

    /// Adds `amount` (landmark-relative) to a pair, making room if needed; returns the pair's
    /// count before the addition.
    @discardableResult
    mutating func add(_ amount: Double, to key: UInt64) -> Double {
        let canGrow = entries.count < fullCount
        // A bucket is four entries at a multiple of four: never across a page.
        let before = entries.withMutableRun(at: bucketStart(key), length: PairMemory.ways) { bucket -> Double? in
            var weakest = 0
            for way in 0..<PairMemory.ways {
                let entry = bucket[way]
                if entry.key == key {
                    bucket[way].count = entry.count + amount
                    return entry.count
                }
                if bucket[weakest].key != 0 && (entry.key == 0 || entry.count < bucket[weakest].count) {
                    weakest = way
                }
            }
            // Full, and smaller than its capacity: grow rather than forget.
            if canGrow && bucket[weakest].key != 0 { return nil }
            bucket[weakest] = Entry(key: key, count: amount)
            return 0
        }
        if let before { return before }
        entries.doubleKeepingEntries(ways: PairMemory.ways)
        return add(amount, to: key)
    }

    /// Subtracts `amount` from a pair if it is still remembered (an undo).
    mutating func subtract(_ amount: Double, from key: UInt64) {
        let start = bucketStart(key)
        for slot in start..<(start + PairMemory.ways) where entries[slot].key == key {
            entries[slot].count = Swift.max(0, entries[slot].count - amount)
            return
        }
    }

    /// Forgets every pair that involves `handle` (an erase); bounded by the memory's capacity.
    mutating func removeAll(involving handle: UserHandle) {
        let tag = UInt64(handle.rawValue &+ 1)
        for slot in 0..<entries.count {
            let key = entries[slot].key
            if key != 0 && (key >> 32 == tag || key & 0xFFFF_FFFF == tag) { entries[slot] = Entry() }
        }
    }

    /// Multiplies every count by `factor` (a landmark rebase).
    mutating func rescale(by factor: Double) {
        for slot in 0..<entries.count where entries[slot].key != 0 { entries[slot].count *= factor }
    }
}
