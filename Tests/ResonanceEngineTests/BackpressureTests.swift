import Testing

@testable import ResonanceEngine

/// The flow-control state machine, without a broker.
@Suite("Backpressure")
struct BackpressureTests {
    @Test("a partition is paused above the high watermark and resumed at half of it, not in between")
    func hysteresis() {
        var backpressure = Backpressure(partitions: 2, highWatermark: 100)
        #expect(backpressure.observe(partition: 0, queued: 100) == .none)
        #expect(backpressure.observe(partition: 0, queued: 101) == .pause)
        backpressure.confirm(.pause, partition: 0)
        #expect(backpressure.isPaused(0) && !backpressure.isPaused(1))
        #expect(backpressure.pausedCount == 1 && backpressure.pauses == 1)
        // Paused: more messages ask for nothing more; only half the watermark resumes it.
        #expect(backpressure.observe(partition: 0, queued: 500) == .none)
        #expect(backpressure.observe(partition: 0, queued: 51) == .none)
        #expect(backpressure.observe(partition: 0, queued: 50) == .resume)
        backpressure.confirm(.resume, partition: 0)
        #expect(!backpressure.isPaused(0) && backpressure.pausedCount == 0)
        #expect(backpressure.pauses == 1)
    }

    @Test("an action the consumer failed to do is asked for again")
    func unconfirmedActionRepeats() {
        var backpressure = Backpressure(partitions: 1, highWatermark: 10)
        #expect(backpressure.observe(partition: 0, queued: 11) == .pause)
        // The pause failed: nothing confirmed, so the next pass asks again.
        #expect(backpressure.observe(partition: 0, queued: 11) == .pause)
        backpressure.confirm(.pause, partition: 0)
        #expect(backpressure.observe(partition: 0, queued: 0) == .resume)
        #expect(backpressure.observe(partition: 0, queued: 0) == .resume)
    }

    @Test("a partition with nothing waiting is never paused, whatever the watermark")
    func emptyNeverPaused() {
        let backpressure = Backpressure(partitions: 1, highWatermark: 0)
        #expect(backpressure.observe(partition: 0, queued: 0) == .none)
        #expect(backpressure.observe(partition: 0, queued: 1) == .pause)
    }

    @Test("a partition leaving the instance is released: resumed if paused, and forgotten")
    func release() {
        var backpressure = Backpressure(partitions: 2, highWatermark: 10)
        #expect(backpressure.release(partition: 1) == .none)
        backpressure.confirm(.pause, partition: 1)
        #expect(backpressure.release(partition: 1) == .resume)
        #expect(!backpressure.isPaused(1))
        #expect(backpressure.release(partition: 1) == .none)
    }
}
