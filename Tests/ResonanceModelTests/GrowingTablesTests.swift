@testable import ResonanceModel
import Testing

/// The dedupe window, pair memory and undo log start small and grow with the input up to their
/// capacities. Growing must change nothing but memory: each is checked against the same table
/// made at full size from the start (what every state was before tables grew, and what a state
/// restored from such a snapshot still is).
@Suite("Growing tables")
struct GrowingTablesTests {
    /// A dedupe window of `capacity` already at its full size.
    static func fullSizeWindow(capacity: Int) -> RecentEventWindow {
        var window = RecentEventWindow(capacity: capacity)
        let adopted = window.adopt(PagedArray(
            pageShift: RecentEventWindow.pageShift, filler: RecentEventWindow.Bucket(), count: window.fullBucketCount))
        precondition(adopted)
        return window
    }

    @Test("the dedupe window admits and finds exactly what a full-size window does, before, during and after growing")
    func dedupeWindowGrowsInvisibly() {
        let capacity = 1 << 16
        var growing = RecentEventWindow(capacity: capacity)
        var full = Self.fullSizeWindow(capacity: capacity)
        // Starts at one page, and the full size is several doublings away.
        #expect(growing.buckets.count == 1 << RecentEventWindow.pageShift)
        #expect(full.buckets.count == 8 * growing.buckets.count)
        var generator = SplitMix64(seed: 11)
        var sizes: Set<Int> = []
        var duplicates = 0
        // Where each id was last admitted, to know the right answer without either table.
        var lastAdmitted: [UInt64: UInt64] = [:]
        for step in 0..<(3 * capacity) {
            // Ids from a pool about three windows wide: redeliveries at every distance.
            let id = generator.next() % UInt64(3 * capacity)
            let expected: UInt64? = lastAdmitted[id].map { full.admitted - $0 <= UInt64(capacity) } == true ? nil : full.admitted
            let fromFull = full.admit(id)
            let fromGrowing = growing.admit(id)
            #expect(fromGrowing == fromFull, "step \(step)")
            #expect(fromFull == expected, "step \(step)")
            if let sequence = fromFull { lastAdmitted[id] = sequence } else { duplicates += 1 }
            if step % 997 == 0 {
                let probe = generator.next() % UInt64(3 * capacity)
                #expect(growing.sequence(of: probe) == full.sequence(of: probe), "probe at step \(step)")
            }
            sizes.insert(growing.buckets.count)
        }
        // It went through every size to the full one, and both outcomes were exercised.
        #expect(sizes == [4096, 8192, 16384, 32768])
        #expect(growing.buckets.count == full.buckets.count)
        #expect(duplicates > capacity / 4)
    }

    @Test("the pair memory counts exactly what a full-size memory does: nothing is forgotten until it is full size")
    func pairMemoryGrowsInvisibly() {
        let capacity = 1 << 15
        var growing = PairMemory(capacity: capacity)
        var full = PairMemory(capacity: capacity)
        let adopted = full.adopt(PagedArray(pageShift: PairMemory.pageShift, filler: PairMemory.Entry(), count: full.fullCount))
        #expect(adopted)
        #expect(growing.entries.count == 1 << PairMemory.pageShift)
        var generator = SplitMix64(seed: 5)
        var seen: Set<UInt64> = []
        var forgotten = 0
        var sizes: Set<Int> = []
        for step in 0..<200_000 {
            // More distinct pairs than the memory holds, so the full-size table evicts at the end.
            let actor = UserHandle(rawValue: UInt32(generator.next() % 300))
            let target = UserHandle(rawValue: UInt32(generator.next() % 300))
            let key = PairMemory.key(actor: actor, target: target)
            let amount = Double(generator.next() % 1_000_000) / 1_000 + 0.001
            let before = full.add(amount, to: key)
            let growingBefore = growing.add(amount, to: key)
            #expect(growingBefore == before, "step \(step)")
            if before == 0 && !seen.insert(key).inserted { forgotten += 1 }
            sizes.insert(growing.entries.count)
        }
        for actor in 0..<300 where actor % 7 == 0 {
            for target in 0..<300 {
                let key = PairMemory.key(actor: UserHandle(rawValue: UInt32(actor)), target: UserHandle(rawValue: UInt32(target)))
                #expect(growing.count(of: key) == full.count(of: key))
            }
        }
        #expect(sizes == [4096, 8192, 16384, 32768])
        #expect(forgotten > 1_000)
    }

    static func reactionStream(_ state: inout InfluenceState, count: Int, from first: Int = 0) -> [Reaction] {
        let network = state.internNetwork(named: "twitter")!
        let reshare = Array("reshare".utf8).withUnsafeBytes { state.action(named: $0) }!
        var reactions: [Reaction] = []
        for index in first..<(first + count) {
            let actor = state.intern(userID: "actor-\(index % 500)")!
            let target = state.intern(userID: "target-\(index % 2_000)")!
            reactions.append(Reaction(
                idHash: UInt64(index) &* 0x9E37_79B9_7F4A_7C15 | 1, time: 1_704_067_200_000 + Int64(index) * 1_000,
                network: network, action: reshare, actor: actor, target: target))
        }
        return reactions
    }

    @Test("the undo log grows in order: an undo finds its reaction while fewer than undo_capacity events came after it")
    func undoLogGrows() throws {
        var configuration = ModelConfiguration()
        configuration.undoCapacity = 3 * 4096 + 100  // not a power of two, nor whole pages
        var state = try InfluenceState(configuration: configuration)
        #expect(state.undoEntries.count == 0)
        let reactions = Self.reactionStream(&state, count: 20_000)
        var sizes: Set<Int> = []
        for reaction in reactions {
            _ = state.apply(.reaction(reaction)) { _ in nil }
            sizes.insert(state.undoEntries.count)
        }
        #expect(sizes == [4096, 8192, configuration.undoCapacity])
        func undo(_ index: Int) -> ApplyOutcome {
            let reaction = reactions[index]
            return state.apply(.undo(Undo(
                idHash: UInt64(index) &+ 0xABCD, time: reaction.time + 1, undoesHash: reaction.idHash,
                actor: reaction.actor, target: reaction.target))) { _ in nil }
        }
        // 20,000 reactions (and the undos) admitted: the last `undo_capacity` are undoable.
        #expect(undo(19_999) == .changed(reactions[19_999].target))
        #expect(undo(20_000 - configuration.undoCapacity + 10) == .changed(reactions[20_000 - configuration.undoCapacity + 10].target))
        #expect(undo(20_000 - configuration.undoCapacity - 10) == .unmatchedUndo)
        #expect(undo(5) == .unmatchedUndo)
    }

    @Test("a state whose tables are part-grown serializes, restores and goes on exactly as the original")
    func partGrownStateRoundTrips() throws {
        var original = try InfluenceState(configuration: ModelConfiguration())
        for reaction in Self.reactionStream(&original, count: 12_000) { _ = original.apply(.reaction(reaction)) { _ in nil } }
        #expect(original.recent.buckets.count < original.recent.fullBucketCount)
        #expect(original.pairs.entries.count < original.pairs.fullCount)
        #expect(original.undoEntries.count < original.configuration.undoCapacity)
        let bytes = original.serializedBytes()
        var restored = try bytes.withUnsafeBytes { try InfluenceState(deserializing: $0, configuration: ModelConfiguration()) }
        #expect(restored.serializedBytes() == bytes)
        // Both go on through the next doublings of the dedupe window, with redeliveries.
        let more = Self.reactionStream(&original, count: 10_000, from: 11_000)
        _ = Self.reactionStream(&restored, count: 10_000, from: 11_000)
        for reaction in more {
            let fromOriginal = original.apply(.reaction(reaction)) { _ in nil }
            let fromRestored = restored.apply(.reaction(reaction)) { _ in nil }
            #expect(fromOriginal == fromRestored)
        }
        #expect(original.serializedBytes() == restored.serializedBytes())
    }

    @Test("a table size that is not one it grows through is refused as corrupt")
    func impossibleSizesAreRefused() throws {
        var window = RecentEventWindow(capacity: 1 << 16)
        let notAPowerOfTwo = window.adopt(PagedArray(pageShift: RecentEventWindow.pageShift, filler: .init(), count: 3 * 4096))
        let beyondFullSize = window.adopt(PagedArray(pageShift: RecentEventWindow.pageShift, filler: .init(), count: 2 * window.fullBucketCount))
        #expect(!notAPowerOfTwo && !beyondFullSize)
        var pairs = PairMemory(capacity: 1 << 15)
        let lessThanABucket = pairs.adopt(PagedArray(pageShift: PairMemory.pageShift, filler: .init(), count: 2))
        let pairsBeyondFullSize = pairs.adopt(PagedArray(pageShift: PairMemory.pageShift, filler: .init(), count: 1 << 16))
        #expect(!lessThanABucket && !pairsBeyondFullSize)
        // A window restored with fewer buckets than its admissions need grows on the spot.
        window.admitted = 40_000
        let small = window.adopt(PagedArray(pageShift: RecentEventWindow.pageShift, filler: .init(), count: 4096))
        #expect(small)
        #expect(window.buckets.count == 32768)
    }
}
