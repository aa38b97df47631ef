/// The last `capacity` 64-bit ids in arrival order (a ring) with an open-addressing index from id
/// to ring slot: bounded memory, O(1) insert, lookup and eviction.
///
/// Used twice: to drop duplicate deliveries of an event id, and (with a parallel ring of
/// contributions) to find the reaction an `undo` retracts.
struct RecentIDWindow: Sendable {
    let capacity: Int
    /// Ring of ids; `occupied` tells which slots hold a live id.
    var ring: PagedArray<UInt64>
    var occupied: PagedArray<UInt8>
    /// Index slots: ring slot + 1, 0 when empty. Twice the ring's capacity, a power of two.
    var index: PagedArray<UInt32>
    /// The ring slot the next insert overwrites.
    var next = 0

    init(capacity: Int) {
        self.capacity = capacity
        ring = PagedArray(pageShift: 14, filler: 0, count: capacity)
        occupied = PagedArray(pageShift: 16, filler: 0, count: capacity)
        var indexCapacity = 4
        while indexCapacity < capacity * 2 { indexCapacity <<= 1 }
        index = PagedArray(pageShift: 14, filler: 0, count: indexCapacity)
    }

    @inline(__always)
    private func home(_ id: UInt64) -> Int { Int(truncatingIfNeeded: StableHash.mix(id)) & (index.count - 1) }

    /// The ring slot holding `id`, if it is among the remembered ids.
    func slot(of id: UInt64) -> Int? {
        let mask = index.count - 1
        var position = home(id)
        while true {
            let entry = index[position]
            if entry == 0 { return nil }
            if ring[Int(entry - 1)] == id { return Int(entry - 1) }
            position = (position + 1) & mask
        }
    }

    /// Remembers `id` (known to be absent), evicting the oldest id when full; returns its slot.
    @discardableResult
    mutating func insert(_ id: UInt64) -> Int {
        let slot = next
        if occupied[slot] != 0 { removeFromIndex(slot: slot) }
        ring[slot] = id
        occupied[slot] = 1
        let mask = index.count - 1
        var position = home(id)
        while index[position] != 0 { position = (position + 1) & mask }
        index[position] = UInt32(slot + 1)
        next = slot + 1 == capacity ? 0 : slot + 1
        return slot
    }

    /// Forgets the id in a ring slot (its slot stays empty until the ring comes round).
    mutating func remove(slot: Int) {
        guard occupied[slot] != 0 else { return }
        removeFromIndex(slot: slot)
        occupied[slot] = 0
        ring[slot] = 0
    }

    private mutating func removeFromIndex(slot: Int) {
        let mask = index.count - 1
        var position = home(ring[slot])
        while index[position] != UInt32(slot + 1) { position = (position + 1) & mask }
        var hole = position
        var probe = (hole + 1) & mask
        while index[probe] != 0 {
            let entryHome = home(ring[Int(index[probe] - 1)])
            if (probe - entryHome) & mask >= (probe - hole) & mask {
                index[hole] = index[probe]
                hole = probe
            }
            probe = (probe + 1) & mask
        }
        index[hole] = 0
    }
}
