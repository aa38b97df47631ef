import ResonanceKafka
import Testing

@testable import ResonanceEngine

/// End-of-partition tracking, without a broker.
@Suite("Input ends")
struct InputEndsTests {
    let a0 = KafkaTopicPartition(topic: "a", partition: 0)
    let a1 = KafkaTopicPartition(topic: "a", partition: 1)

    @Test("a replay is caught up once every assigned partition has reported its end, and an assignment starts it over")
    func caughtUp() {
        var ends = InputEnds()
        #expect(ends.allReached, "nothing assigned: nothing to wait for")
        ends.assigned(a0)
        ends.assigned(a1)
        #expect(!ends.allReached)
        ends.reached(a0, at: 10)
        #expect(!ends.allReached)
        ends.reached(a1, at: 4)
        #expect(ends.allReached)
        #expect(Set(ends.assigned) == [a0, a1])
        // Assigned again (a rebalance): its end must be read anew.
        ends.assigned(a1)
        #expect(!ends.allReached)
        ends.revoked(a1)
        #expect(ends.allReached && ends.assigned == [a0])
    }

    @Test("lag is the last end seen minus the position, never negative, and unknown before an end or after a revocation")
    func lag() {
        var ends = InputEnds()
        ends.assigned(a0)
        ends.assigned(a1)
        #expect(ends.lag(positions: [a0: 3, a1: 0]).isEmpty)
        ends.reached(a0, at: 10)
        ends.reached(a1, at: 4)
        #expect(ends.lag(positions: [a0: 3, a1: 7]) == [a0: 7, a1: 0])
        ends.revoked(a0)
        #expect(ends.lag(positions: [a0: 3, a1: 2]) == [a1: 2])
    }

    @Test("a state resuming before the input's earliest retained offset misses exactly the offsets in between")
    func retentionGap() {
        #expect(InputEnds.lost(resumingAt: 0, earliestRetained: 0) == nil, "nothing deleted")
        #expect(InputEnds.lost(resumingAt: 500, earliestRetained: 120) == nil, "the state covers what was deleted")
        #expect(InputEnds.lost(resumingAt: 120, earliestRetained: 120) == nil)
        #expect(InputEnds.lost(resumingAt: 0, earliestRetained: 120) == 0..<120, "rebuilt from a topic whose start was deleted")
        #expect(InputEnds.lost(resumingAt: 80, earliestRetained: 120) == 80..<120, "a snapshot older than retention")
    }

    @Test("a partition stopped at a replay limit counts as at its end, is reported stopped once, and stays stopped")
    func replayLimit() {
        var ends = InputEnds()
        ends.assigned(a0)
        ends.assigned(a1)
        let first = ends.stopAtLimit(a0), second = ends.stopAtLimit(a0)
        #expect(first && !second, "reported once")
        #expect(ends.isStopped(a0) && !ends.isStopped(a1))
        #expect(ends.isStopped(partition: 0) && !ends.isStopped(partition: 1))
        // Co-partitioned topics stop together: the partition number is what a limit stops.
        #expect(!ends.isStopped(KafkaTopicPartition(topic: "b", partition: 0)) && ends.isStopped(partition: 0))
        ends.reached(a1, at: 5)
        #expect(ends.allReached)
    }
}
