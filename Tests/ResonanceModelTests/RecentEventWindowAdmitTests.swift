@testable import ResonanceModel
import Testing

/// `RecentEventWindow.admit` is a single walk with a fast path for the home bucket. It must leave
/// exactly the bytes of the plain version it replaced: look the id up with `sequence(of:)`, then
/// walk from the home bucket to the first free entry, marking every full bucket it passes.
@Suite("Recent event window: admit")
struct RecentEventWindowAdmitTests {
    /// The plain version, kept here as the reference.
    static func referenceAdmit(_ window: inout RecentEventWindow, _ id: UInt64) -> UInt64? {
        if window.sequence(of: id) != nil { return nil }
        let key = RecentEventWindow.key(id)
        let sequence = UInt32(truncatingIfNeeded: window.admitted) & RecentEventWindow.sequenceMask
        let after = window.admitted + 1
        let mask = window.buckets.count - 1
        var position = window.home(key)
        while true {
            var bucket = window.buckets[position]
            for way in 0..<RecentEventWindow.Bucket.ways {
                let stored = bucket.sequence(way)
                let age = (UInt32(truncatingIfNeeded: after) &- stored) & RecentEventWindow.sequenceMask
                if bucket.key(way) == 0 || !(age &- 1 < UInt32(window.capacity)) {
                    bucket.set(way, key: key, sequence: sequence)
                    window.buckets[position] = bucket
                    window.admitted = after
                    return after - 1
                }
            }
            bucket.overflow = RecentEventWindow.overflowedBit | sequence
            window.buckets[position] = bucket
            position = (position + 1) & mask
        }
    }

    @Test("admitting leaves the same buckets and sequence numbers as the plain lookup-then-insert", arguments: [1, 2, 3, 5, 8, 16, 64])
    func sameBytesAsPlainVersion(capacity: Int) {
        var window = RecentEventWindow(capacity: capacity)
        var reference = RecentEventWindow(capacity: capacity)
        var generator = SplitMix64(seed: UInt64(capacity) &* 31)
        var overflowed = 0
        for step in 0..<5_000 {
            // Ids from a pool a few windows wide (redeliveries at every distance), some landing in
            // the same few buckets so that buckets fill and overflow.
            let id = generator.next() % UInt64(4 * capacity + 4)
            let expected = Self.referenceAdmit(&reference, id)
            #expect(window.admit(id) == expected, "step \(step)")
            #expect(window.admitted == reference.admitted)
            for index in 0..<window.buckets.count where window.buckets[index] != reference.buckets[index] {
                Issue.record("bucket \(index) differs at step \(step)")
            }
            overflowed = window.buckets.allSatisfy { _, bucket in bucket.overflow == 0 } ? overflowed : overflowed + 1
        }
        // Buckets did overflow (the walk past the home bucket ran) where the window is big enough
        // for a bucket to fill.
        if capacity >= 16 { #expect(overflowed > 100) }
    }
}
