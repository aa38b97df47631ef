import Logging
import ResonanceKafka

/// The snapshots of the partitions owned here: when each is due (``SnapshotScheduler``), writing
/// them in the background or now (``SnapshotWriter``), and committing the offsets a written one
/// covers. Touched by the processing thread only.
///
/// Offsets are committed only after the snapshot that covers them is on disk, and a snapshot is
/// taken only after everything published before it is flushed to Kafka: committed offsets are
/// never ahead of the score changes and dead letters their events caused, nor of the state.
final class PartitionSnapshots: @unchecked Sendable {
    /// Commits offsets after their snapshot was written, `synchronous` when the caller must know
    /// they are committed before it goes on (a revocation, shutdown). Nil outside a consumer group.
    typealias Commit = (_ offsets: [KafkaTopicPartition: Int64], _ synchronous: Bool) -> Void

    private let writer: SnapshotWriter
    private let clock: WallClock
    private let logger: Logger
    private var schedule: SnapshotScheduler
    private var commit: Commit?
    /// When the last snapshot was written, and how long it took.
    private(set) var lastWallClock: Int64?
    private(set) var lastDuration: Duration?
    /// Snapshots that failed to be written.
    private(set) var failures = 0
    /// Bytes shipped to the state topic so far.
    private(set) var shippedBytes = 0

    init(store: SnapshotStore, clock: WallClock, partitionCount: Int, interval: Duration, logger: Logger) {
        writer = SnapshotWriter(store: store, clock: clock)
        self.clock = clock
        self.logger = logger
        schedule = SnapshotScheduler(partitions: partitionCount, intervalMilliseconds: interval.inMilliseconds)
    }

    /// Ships every snapshot to the state topic before its offsets are committed.
    func ship(with shipper: StateShipper) {
        writer.shipper = shipper
    }

    /// Sets how offsets are committed (once the consumer exists, in a group).
    func commitOffsets(with commit: @escaping Commit) {
        self.commit = commit
    }

    /// Records the state partition `index` was given: it is as durable as the snapshot it was
    /// restored from (`restored`), or as an empty state is.
    func installed(_ index: Int, _ partition: OwnedPartition, restored: PartitionSnapshot?) {
        schedule.installed(
            index, wallClock: clock.now(), sequence: restored?.sequence ?? 0,
            closedThrough: restored?.state.standingsClosedThrough ?? partition.closedThrough)
    }

    /// Partition `index` left this instance.
    func forget(_ index: Int) {
        schedule.forget(index)
    }

    /// Starts background snapshots of the owned partitions whose interval has passed, after
    /// `flush` (of everything published so far).
    func takeDue(_ partitions: [OwnedPartition?], wallClock: Int64, flush: () throws(KafkaError) -> Void) throws(KafkaError) {
        let due = partitions.indices.filter { index in
            guard let partition = partitions[index] else { return false }
            return schedule.isDue(
                index, wallClock: wallClock, sequence: partition.processor.sequence, closedThrough: partition.closedThrough,
                writing: writer.isWriting(Int32(index)))
        }
        guard !due.isEmpty else { return }
        try flush()
        for index in due {
            let partition = partitions[index]!
            writer.submit(partition.processor.snapshot(nextOffsets: partition.nextOffsets))
            schedule.taken(index, wallClock: wallClock, sequence: partition.processor.sequence, closedThrough: partition.closedThrough)
        }
    }

    /// Waits for background snapshots, then writes those of `indices` now, together (shutdown,
    /// revocation), and commits the offsets each covers. Skips partitions not owned, and those
    /// unchanged since their last snapshot (unless it is still being written: its outcome is
    /// not known).
    func writeNow(_ indices: [Int], of partitions: [OwnedPartition?]) {
        writer.waitUntilIdle()
        collect(partitions)
        let due = indices.filter { index in
            guard let partition = partitions[index] else { return false }
            let unchanged = schedule.isUnchanged(index, sequence: partition.processor.sequence, closedThrough: partition.closedThrough)
            return !unchanged || writer.isWriting(Int32(index))
        }
        let taken = due.map { index in partitions[index]!.processor.snapshot(nextOffsets: partitions[index]!.nextOffsets) }
        for (index, outcome) in zip(due, writer.writeNow(taken)) {
            let partition = partitions[index]!
            schedule.taken(index, wallClock: outcome.finishedAt, sequence: partition.processor.sequence, closedThrough: partition.closedThrough)
            handle(outcome, partitions, synchronousCommit: true)
        }
    }

    /// Handles the snapshots the writer finished: commits the offsets they cover, or reports the
    /// failure while processing goes on and the last good snapshot stays.
    func collect(_ partitions: [OwnedPartition?]) {
        for outcome in writer.finished() {
            handle(outcome, partitions, synchronousCommit: false)
        }
    }

    private func handle(_ outcome: SnapshotWriter.Outcome, _ partitions: [OwnedPartition?], synchronousCommit: Bool) {
        let index = Int(outcome.partition)
        switch outcome.result {
        case .success(let path):
            if index < partitions.count, let partition = partitions[index] {
                partition.processor.durableClosedThrough = max(partition.processor.durableClosedThrough, schedule.durableClosedThrough(index))
            }
            lastWallClock = outcome.finishedAt
            lastDuration = outcome.duration
            shippedBytes += outcome.shippedBytes
            logger.debug("partition \(outcome.partition): snapshot \(path) in \(outcome.duration)")
            guard let commit, !outcome.nextOffsets.isEmpty else { return }
            var offsets: [KafkaTopicPartition: Int64] = [:]
            for (topic, next) in outcome.nextOffsets {
                offsets[KafkaTopicPartition(topic: topic, partition: outcome.partition)] = next
            }
            commit(offsets, synchronousCommit)
        case .failure(let error):
            failures += 1
            // Not durable: the next due check (and shutdown) must try this partition again.
            schedule.failed(index, at: outcome.finishedAt)
            logger.error("partition \(outcome.partition): snapshot failed, keeping the last good one and going on: \(error.message)")
        }
    }
}
