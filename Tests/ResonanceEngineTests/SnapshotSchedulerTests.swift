import Testing

@testable import ResonanceEngine

/// When partitions are due for a snapshot, without a broker or files.
@Suite("Snapshot scheduling")
struct SnapshotSchedulerTests {
    @Test("a changed partition is due once the interval has passed since its last snapshot, an unchanged one never")
    func interval() {
        var scheduler = SnapshotScheduler(partitions: 2, intervalMilliseconds: 30_000)
        scheduler.installed(0, wallClock: 1_000, sequence: 10, closedThrough: 5)
        // Unchanged: never due, however long.
        #expect(!scheduler.isDue(0, wallClock: 1_000_000, sequence: 10, closedThrough: 5, writing: false))
        // Changed by an event, or by a close alone: due from the interval on.
        #expect(!scheduler.isDue(0, wallClock: 30_999, sequence: 11, closedThrough: 5, writing: false))
        #expect(scheduler.isDue(0, wallClock: 31_000, sequence: 11, closedThrough: 5, writing: false))
        #expect(scheduler.isDue(0, wallClock: 31_000, sequence: 10, closedThrough: 6, writing: false))
        // Not while a snapshot of it is being written.
        #expect(!scheduler.isDue(0, wallClock: 31_000, sequence: 11, closedThrough: 5, writing: true))
        // A partition with no snapshot yet is due as soon as it has anything.
        #expect(scheduler.isDue(1, wallClock: 0, sequence: 0, closedThrough: 0, writing: false))
    }

    @Test("a snapshot taken restarts the interval and is what a success makes durable")
    func taken() {
        var scheduler = SnapshotScheduler(partitions: 1, intervalMilliseconds: 10)
        scheduler.taken(0, wallClock: 100, sequence: 7, closedThrough: 3)
        #expect(scheduler.durableClosedThrough(0) == 3)
        #expect(scheduler.isUnchanged(0, sequence: 7, closedThrough: 3))
        #expect(!scheduler.isDue(0, wallClock: 109, sequence: 8, closedThrough: 3, writing: false))
        #expect(scheduler.isDue(0, wallClock: 110, sequence: 8, closedThrough: 3, writing: false))
    }

    @Test("a failed snapshot leaves the partition due again; a revoked one is forgotten")
    func failedAndForgotten() {
        var scheduler = SnapshotScheduler(partitions: 1, intervalMilliseconds: 10)
        scheduler.taken(0, wallClock: 100, sequence: 7, closedThrough: 3)
        scheduler.failed(0, at: 105)
        // Changed or not, it is due again once the interval has passed since the failure.
        #expect(!scheduler.isUnchanged(0, sequence: 7, closedThrough: 3))
        #expect(scheduler.isDue(0, wallClock: 115, sequence: 7, closedThrough: 3, writing: false))
        scheduler.failed(5, at: 0)  // a partition this instance does not know: ignored
        scheduler.forget(0)
        #expect(scheduler.mark(0) == .none)
    }
}
