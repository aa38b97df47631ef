/// An entry of a set-associative table kept in a ``PagedArray`` (``PairMemory``,
/// ``ContentTopics``): a non-zero key, 0 marking an empty entry.
protocol SetAssociativeEntry: BitwiseCopyable {
    var key: UInt64 { get }
}

/// What the model's set-associative tables share: where a key's bucket is, and how a table that
/// grows with the input doubles. A table's size is a power of two, so a bucket of the doubled
/// table holds a subset of one bucket of the smaller: putting the entries back never overflows.
extension PagedArray where Element: SetAssociativeEntry {
    /// The entry count where a table of `ways`-entry buckets holding `capacity` entries stops
    /// growing: the smallest power of two from one bucket up that holds them.
    static func fullCount(forCapacity capacity: Int, ways: Int) -> Int {
        var size = ways
        while size < capacity { size <<= 1 }
        return size
    }

    /// True for a size a table can have: a power of two from one bucket up to `fullCount`.
    static func isTableSize(_ count: Int, ways: Int, fullCount: Int) -> Bool {
        count >= ways && count & (count - 1) == 0 && count <= fullCount
    }

    /// The first index of `key`'s bucket of `ways` entries (a bucket never crosses a page).
    @inline(__always)
    func bucketStart(_ key: UInt64, ways: Int) -> Int {
        Int(truncatingIfNeeded: StableHash.mix(key)) & (count - 1) & ~(ways - 1)
    }

    /// Doubles the table and puts every entry back, in the order the old table held them. The
    /// entries are set aside and the table is cleared and lengthened where it is (see
    /// ``RecentEventWindow``'s `grow`: a new table would leave the old one's pages unused).
    mutating func doubleKeepingEntries(ways: Int) {
        var kept: [Element] = []
        for index in 0..<count where self[index].key != 0 { kept.append(self[index]) }
        clear()
        resize(to: count * 2)
        for entry in kept {
            let start = bucketStart(entry.key, ways: ways)
            // There is room (see above); a corrupt snapshot could break that: the entry is then
            // forgotten, never a trap.
            guard let way = (0..<ways).first(where: { self[start + $0].key == 0 }) else { continue }
            self[start + way] = entry
        }
    }
}
