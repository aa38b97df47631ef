import Foundation

/// Writes snapshots on a thread of its own, so ingestion only pays for copying the state
/// (O(pages)) and never for serializing, checksumming or fsyncing it.
public final class SnapshotWriter: @unchecked Sendable {
    /// The outcome of one write.
    public struct Outcome: Sendable {
        /// The partition.
        public var partition: Int32
        /// The offsets the snapshot covers, when it was written.
        public var nextOffsets: [String: Int64]
        /// Where it was written, or why it was not.
        public var result: Result<String, SnapshotError>
        /// How long writing took.
        public var duration: Duration
        /// When it finished, wall clock, epoch milliseconds.
        public var finishedAt: Int64
        /// Bytes shipped to the state topic (0 when not shipped).
        public var shippedBytes = 0
    }

    /// Ships each snapshot written to the state topic before its write counts as done.
    var shipper: StateShipper?

    private let store: SnapshotStore
    private let clock: WallClock
    private let queue = DispatchQueue(label: "resonance.snapshot-writer")
    private let lock = NSLock()
    private var outcomes: [Outcome] = []
    private var inFlight: Set<Int32> = []

    public init(store: SnapshotStore, clock: WallClock) {
        self.store = store
        self.clock = clock
    }

    /// Whether a snapshot of `partition` is being written now.
    public func isWriting(_ partition: Int32) -> Bool {
        lock.withLock { inFlight.contains(partition) }
    }

    /// Queues `snapshot` for writing.
    public func submit(_ snapshot: PartitionSnapshot) {
        lock.withLock { _ = inFlight.insert(snapshot.partition) }
        queue.async { [self] in
            let outcome = write(snapshot)
            lock.withLock {
                outcomes.append(outcome)
                inFlight.remove(snapshot.partition)
            }
        }
    }

    /// Writes `snapshot` now, on the caller's thread, after whatever is queued.
    public func writeNow(_ snapshot: PartitionSnapshot) -> Outcome {
        queue.sync { write(snapshot) }
    }

    /// Writes `snapshots` now (of different partitions), after whatever is queued, on the
    /// caller's thread and as many others as there are cores: at shutdown or a handover every
    /// partition's state is written at once, and serializing and checksumming one is a thread's
    /// work. Outcomes in the order of `snapshots`.
    public func writeNow(_ snapshots: [PartitionSnapshot]) -> [Outcome] {
        queue.sync { snapshots.concurrentMap(write) }
    }

    /// The outcomes finished since the last call.
    public func finished() -> [Outcome] {
        lock.withLock {
            defer { outcomes.removeAll() }
            return outcomes
        }
    }

    /// Waits until every queued write is done.
    public func waitUntilIdle() {
        queue.sync {}
    }

    private func write(_ snapshot: PartitionSnapshot) -> Outcome {
        let started = ContinuousClock.now
        var shipped = 0
        let result = Result { () throws(SnapshotError) in
            let (path, header) = try store.write(snapshot, createdAt: clock.now())
            if let shipper { shipped = try shipper.ship(path: path, header: header) }
            return path
        }
        return Outcome(
            partition: snapshot.partition, nextOffsets: snapshot.nextOffsets, result: result,
            duration: started.duration(to: .now), finishedAt: clock.now(), shippedBytes: shipped)
    }
}
