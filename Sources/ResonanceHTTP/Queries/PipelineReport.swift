import ResonanceEngine

/// `GET /v1/pipeline`: the instance's pipeline as last reported, for the dashboard's health panel
/// and for operators without Prometheus. Counts are since the instance started.
public struct PipelineReport: Sendable, Equatable, Codable {
    /// One assigned input partition.
    public struct Partition: Sendable, Equatable, Codable {
        public var topic: String
        public var partition: Int32
        /// Messages behind the partition's end, when known.
        public var lag: Int64?
        /// Whether the state misses events the input no longer retains.
        public var incomplete: Bool
    }

    public var phase: PipelinePhase
    /// Input messages read, valid or not.
    public var messages: Int
    /// Valid events applied.
    public var applied: Int
    /// Messages sent to the dead-letter topic, by reason.
    public var deadLettered: [String: Int]
    public var changesPublished: Int
    /// Messages held while their partition waits for the others to close an epoch.
    public var heldMessages: Int
    public var pausedPartitions: Int
    /// Seconds since the newest durable snapshot; nil before the first.
    public var snapshotAgeSeconds: Double?
    public var failedSnapshots: Int
    public var shippedBytes: Int
    /// Partitions installed from each source: `state_topic`, `state_directory`, `rebuilt`.
    public var restores: [String: Int]
    public var partitions: [Partition]
    /// When the report was made (epoch milliseconds, wall clock).
    public var wallClock: Int64

    /// The report for `progress` (nil: nothing reported yet) in `phase`, at `wallClock`.
    public init(phase: PipelinePhase, progress: PipelineProgress?, wallClock: Int64) {
        self.phase = phase
        self.wallClock = wallClock
        let counters = progress?.counters ?? PipelineCounters()
        messages = counters.messages
        applied = counters.appliedTotal
        deadLettered = Dictionary(uniqueKeysWithValues: counters.rejected.map { ($0.key.rawValue, $0.value) })
        changesPublished = counters.changesPublished
        heldMessages = progress?.heldMessages ?? 0
        pausedPartitions = progress?.pausedPartitions ?? 0
        snapshotAgeSeconds = progress?.lastSnapshotWallClock.map { Double(max(0, wallClock - $0)) / 1000 }
        failedSnapshots = progress?.failedSnapshots ?? 0
        shippedBytes = progress?.shippedBytes ?? 0
        restores = progress?.restores ?? [:]
        let incomplete = progress?.incompletePartitions ?? []
        partitions = (progress?.lag ?? [:]).keys.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }.map { topicPartition in
            Partition(
                topic: topicPartition.topic, partition: topicPartition.partition, lag: progress?.lag[topicPartition],
                incomplete: incomplete.contains(topicPartition.partition))
        }
    }
}
