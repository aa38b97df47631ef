#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Interns user ids (UTF-8 bytes) into dense ``UserHandle``s with one open-addressing lookup,
/// without `String` or `Dictionary`: ids live in a paged byte arena, the table holds handles.
///
/// Linear probing with backward-shift deletion keeps lookups short and the layout a pure
/// function of the sequence of interns and removals, so replays are bit-identical.
///
/// Each slot carries the upper half of its id's hash beside the handle. Interning runs on every
/// event, twice per reaction, over millions of ids, so nearly every access misses the cache; the
/// tag lets a probe reject other ids inside the slot's own cache line and go straight from the
/// slot to the id's location and bytes (three dependent misses for a known id, where reading
/// `hashes[handle]` first made four, plus one per other id in the probe run).
struct UserDirectory: Sendable {
    /// Longest id accepted, in bytes: ids never straddle an arena page.
    static let maximumIDLength = 1024
    static let arenaPageShift = 16

    /// Per handle: `StableHash.mix(fnv1a64(id))`, 0 once erased.
    var hashes = PagedArray<UInt64>(pageShift: 12, filler: 0)
    /// Per handle: arena offset (high 48 bits) and id length (low 16 bits).
    var locations = PagedArray<UInt64>(pageShift: 12, filler: 0)
    /// The id bytes of every live handle, back to back.
    var arena = PagedArray<UInt8>(pageShift: UserDirectory.arenaPageShift, filler: 0)
    /// Open-addressing slots: the id's ``tag(_:)`` in the high 32 bits, handle + 1 in the low 32;
    /// 0 when empty. Capacity is a power of two, at most 2³², so the slot index (the hash's low
    /// bits) and the tag (its high bits) are independent.
    var slots = PagedArray<UInt64>(pageShift: 13, filler: 0, count: 1024)
    /// Live (interned and not removed) ids.
    private(set) var liveCount = 0

    var handleCount: Int { hashes.count }

    /// Sets the live count after the arrays were restored from serialized bytes.
    mutating func restoreLiveCount(_ count: Int) { liveCount = count }

    static func hash(_ id: UnsafeRawBufferPointer) -> UInt64 { UserIDHash(id).value }

    /// The part of a slot that names the id's hash: its upper 32 bits, in place.
    @inline(__always)
    static func tag(_ hash: UInt64) -> UInt64 { hash & 0xFFFF_FFFF_0000_0000 }

    /// A slot's entry for `handle` with hash `hash`.
    @inline(__always)
    static func slotEntry(handle: Int, hash: UInt64) -> UInt64 { tag(hash) | UInt64(handle + 1) }

    /// The handle a non-empty slot entry names.
    @inline(__always)
    static func handle(inSlot entry: UInt64) -> Int { Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1 }

    /// The handle of `id`, if interned.
    func lookup(_ id: UnsafeRawBufferPointer) -> UserHandle? {
        // No id is empty (intern refuses them); a corrupt restored slot naming an erased handle,
        // whose length reads 0, must not match one either.
        guard !id.isEmpty else { return nil }
        return probe(id, hash: UserDirectory.hash(id)).found
    }

    /// Follows `id`'s probe run from its home slot: the handle of the slot naming it, or the
    /// empty slot that ends the run (where it would be inserted).
    @inline(__always)
    private func probe(_ id: UnsafeRawBufferPointer, hash: UInt64) -> (found: UserHandle?, emptySlot: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        let tag = UserDirectory.tag(hash)
        while true {
            let entry = slots[slot]
            if entry == 0 { return (nil, slot) }
            let handle = UserDirectory.handle(inSlot: entry)
            if UserDirectory.tag(entry) == tag && liveIDEquals(handle, id) { return (UserHandle(rawValue: UInt32(handle)), slot) }
            slot = (slot + 1) & mask
        }
    }

    /// The handle of `id`, whose ``UserIDHash`` is `hash`, interning it first if new; nil when the
    /// id is empty or too long.
    mutating func intern(_ id: UnsafeRawBufferPointer, hash: UInt64) -> UserHandle? {
        guard !id.isEmpty, id.count <= UserDirectory.maximumIDLength else { return nil }
        let probed = probe(id, hash: hash)
        if let found = probed.found { return found }
        var slot = probed.emptySlot
        guard hashes.count < Int(UInt32.max - 1) else { return nil }
        if (liveCount + 1) * 10 > slots.count * 7 {
            grow()
            let mask = slots.count - 1
            slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
        }
        let handle = hashes.count
        hashes.append(hash)
        locations.append(storeBytes(id))
        liveCount += 1
        slots[slot] = UserDirectory.slotEntry(handle: handle, hash: hash)
        return UserHandle(rawValue: UInt32(handle))
    }

    /// Copies `id` into the arena, starting a new page when it would straddle one.
    private mutating func storeBytes(_ id: UnsafeRawBufferPointer) -> UInt64 {
        let pageSize = 1 << UserDirectory.arenaPageShift
        var start = arena.count
        if (start & (pageSize - 1)) + id.count > pageSize {
            start = (start + pageSize - 1) & ~(pageSize - 1)
        }
        arena.resize(to: start + id.count)
        let page = start >> UserDirectory.arenaPageShift
        let offset = start & (pageSize - 1)
        arena.withUnsafeMutableBytes(ofPage: page) { destination in
            (destination.baseAddress! + offset).copyMemory(from: id.baseAddress!, byteCount: id.count)
        }
        return UInt64(start) << 16 | UInt64(id.count)
    }

    /// Calls `body` with the id bytes of a live handle; nil for an unknown or erased handle.
    func withID<R>(of handle: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard handle >= 0, handle < hashes.count, hashes[handle] != 0 else { return nil }
        let location = locations[handle]
        let start = Int(location >> 16)
        let length = Int(location & 0xFFFF)
        let page = start >> UserDirectory.arenaPageShift
        let offset = start & ((1 << UserDirectory.arenaPageShift) - 1)
        return try arena.pages[page].withUnsafeBytes { bytes in
            try body(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]))
        }
    }

    /// Whether the id of `handle`, which a slot names and is therefore live, is `id`. Reads the
    /// location and the bytes only: `hashes[handle]` is a cache miss the slot's tag already
    /// stands in for.
    @inline(__always)
    private func liveIDEquals(_ handle: Int, _ id: UnsafeRawBufferPointer) -> Bool {
        let location = locations[handle]
        let length = Int(location & 0xFFFF)
        guard length == id.count else { return false }
        let start = Int(location >> 16)
        let page = start >> UserDirectory.arenaPageShift
        let offset = start & ((1 << UserDirectory.arenaPageShift) - 1)
        return arena.pages[page].withUnsafeBytes { bytes in
            // Ids never straddle a page; the check keeps a corrupt restored location from reading
            // past one.
            offset + length <= bytes.count && memcmp(bytes.baseAddress! + offset, id.baseAddress!, length) == 0
        }
    }

    func isLive(_ handle: Int) -> Bool { handle >= 0 && handle < hashes.count && hashes[handle] != 0 }

    /// Forgets a handle's id: the table entry is deleted and the id bytes are zeroed in the arena.
    /// The handle itself is never reissued.
    mutating func remove(_ handle: Int) {
        guard isLive(handle) else { return }
        let hash = hashes[handle]
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while UserDirectory.handle(inSlot: slots[slot]) != handle { slot = (slot + 1) & mask }
        // Backward-shift deletion: pull later entries of the probe run into the hole so that no
        // tombstones accumulate.
        var hole = slot
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let entryHash = hashes[UserDirectory.handle(inSlot: slots[next])]
            let home = Int(truncatingIfNeeded: entryHash) & mask
            let distanceFromHome = (next - home) & mask
            let distanceToHole = (next - hole) & mask
            if distanceFromHome >= distanceToHole {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = 0
        let location = locations[handle]
        let start = Int(location >> 16)
        for index in start..<(start + Int(location & 0xFFFF)) { arena[index] = 0 }
        locations[handle] = 0
        hashes[handle] = 0
        liveCount -= 1
    }

    private mutating func grow() {
        let newCapacity = slots.count * 2
        var newSlots = PagedArray<UInt64>(pageShift: 13, filler: 0, count: newCapacity)
        let mask = newCapacity - 1
        for handle in 0..<hashes.count {
            let hash = hashes[handle]
            if hash == 0 { continue }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while newSlots[slot] != 0 { slot = (slot + 1) & mask }
            newSlots[slot] = UserDirectory.slotEntry(handle: handle, hash: hash)
        }
        slots = newSlots
    }
}
