/// The last `capacity` 64-bit ids in arrival order (a ring) with an open-addressing index from id
/// to ring slot: bounded memory, O(1) insert, lookup and eviction.
///
/// Used twice: to drop duplicate deliveries of an event id, and (with a parallel ring of
/// contributions) to find the reaction an `undo` retracts. Index entries carry the id itself, so
/// probing and backward-shift deletion read only the index (one cache line), never the ring.
struct RecentIDWindow: Sendable {
    /// One index entry: the (non-zero) key and its ring slot + 1; all zero when empty.
    struct Entry: BitwiseCopyable, Equatable {
        var key: UInt64 = 0
        var slot: UInt64 = 0
    }

    let capacity: Int
    /// Ring of keys; 0 marks an empty slot.
    var ring: PagedArray<UInt64>
    /// Twice the ring's capacity, a power of two.
    var index: PagedArray<Entry>
    /// The ring slot the next insert overwrites.
    var next = 0

    init(capacity: Int) {
        self.capacity = capacity
        ring = PagedArray(pageShift: 14, filler: 0, count: capacity)
        var indexCapacity = 4
        while indexCapacity < capacity * 2 { indexCapacity <<= 1 }
        index = PagedArray(pageShift: 13, filler: Entry(), count: indexCapacity)
    }

    /// Ids are stored non-zero (0 marks empty): id 0 is folded onto 1, a 2^-64 chance of a false match.
    @inline(__always)
    static func key(_ id: UInt64) -> UInt64 { id == 0 ? 1 : id }

    @inline(__always)
    private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: StableHash.mix(key)) & (index.count - 1) }

    /// The ring slot holding `id`, if it is among the remembered ids.
    func slot(of id: UInt64) -> Int? {
        let key = RecentIDWindow.key(id)
        let mask = index.count - 1
        var position = home(key)
        while true {
            let entry = index[position]
            if entry.key == key { return Int(entry.slot - 1) }
            if entry.key == 0 { return nil }
            position = (position + 1) & mask
        }
    }

    /// Whether the ring slot holds a live id.
    @inline(__always)
    func isOccupied(_ slot: Int) -> Bool { ring[slot] != 0 }

    /// Remembers `id` (known to be absent), evicting the oldest id when full; returns its slot.
    @discardableResult
    mutating func insert(_ id: UInt64) -> Int {
        let key = RecentIDWindow.key(id)
        let slot = next
        let evicted = ring[slot]
        if evicted != 0 { removeFromIndex(key: evicted) }
        ring[slot] = key
        let mask = index.count - 1
        var position = home(key)
        while index[position].key != 0 { position = (position + 1) & mask }
        index[position] = Entry(key: key, slot: UInt64(slot + 1))
        next = slot + 1 == capacity ? 0 : slot + 1
        return slot
    }

    /// Forgets the id in a ring slot (its slot stays empty until the ring comes round).
    mutating func remove(slot: Int) {
        let key = ring[slot]
        guard key != 0 else { return }
        removeFromIndex(key: key)
        ring[slot] = 0
    }

    private mutating func removeFromIndex(key: UInt64) {
        let mask = index.count - 1
        var position = home(key)
        while index[position].key != key { position = (position + 1) & mask }
        // Backward-shift deletion: no tombstones, so probe runs stay short forever.
        var hole = position
        var probe = (hole + 1) & mask
        while true {
            let entry = index[probe]
            if entry.key == 0 { break }
            let entryHome = home(entry.key)
            if (probe - entryHome) & mask >= (probe - hole) & mask {
                index[hole] = entry
                hole = probe
            }
            probe = (probe + 1) & mask
        }
        index[hole] = Entry()
    }
}
