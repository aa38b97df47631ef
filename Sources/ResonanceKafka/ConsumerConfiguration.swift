/// How a ``KafkaConsumer`` joins its group, where it starts and how it fetches.
///
/// Offsets are committed only when the application says so: automatic commit and automatic
/// offset store are off by default, so a crash replays whatever was not committed
/// (at-least-once).
public struct ConsumerConfiguration: Sendable {
    /// The partition assignment strategy of a consumer group.
    public enum AssignmentStrategy: String, Sendable {
        /// Contiguous ranges of partitions per consumer (eager).
        case range
        /// Partitions dealt out one by one (eager).
        case roundRobin = "roundrobin"
    }

    /// Where to start in a partition that has no committed offset (or an out-of-range one).
    public enum OffsetReset: String, Sendable {
        /// The oldest message still in the partition.
        case earliest
        /// Only messages produced after the consumer starts.
        case latest
        /// Fail with an error instead of guessing.
        case error
    }

    /// How much a consumer fetches ahead of the application; larger values trade memory for
    /// throughput during replays.
    public struct FetchOptions: Sendable {
        /// Upper bound on one fetch response (`fetch.max.bytes`).
        public var maxBytes: Int = 52_428_800
        /// Upper bound per partition in one fetch response (`max.partition.fetch.bytes`).
        public var maxPartitionBytes: Int = 4_194_304
        /// How long the broker may wait to fill `fetch.min.bytes` (`fetch.wait.max.ms`).
        public var maxWait: Duration = .milliseconds(100)
        /// Messages librdkafka keeps prefetched per partition (`queued.min.messages`).
        public var queuedMinMessages: Int = 200_000
        /// Kilobytes librdkafka keeps prefetched per partition (`queued.max.messages.kbytes`).
        public var queuedMaxKilobytes: Int = 262_144
        /// How long librdkafka waits before fetching again for a partition whose prefetch queue was
        /// full (`fetch.queue.backoff.ms`). Its default, a second, is tuned for a consumer that
        /// falls behind for long: a replay empties a full queue of 200,000 messages in well under a
        /// second, then sat idle for the rest of it (a million-event drain spent about 1.5 s of
        /// its 5 s waiting, broker and scorer both idle). 10 ms refetches as soon as there is room.
        public var queueBackoff: Duration = .milliseconds(10)

        /// Fetch settings tuned for replays: large prefetch, short broker waits.
        public init() {}
    }

    /// Shared client settings.
    public var client: ClientConfiguration
    /// The consumer group; `nil` allows only ``KafkaConsumer/assign(_:)`` (no group, no commits).
    public var groupID: String?
    /// The group assignor. Eager by default: librdkafka 2.8.0 has a commit bug with cooperative
    /// rebalancing that was fixed in 2.10.0.
    public var assignmentStrategy: AssignmentStrategy = .range
    /// How long the group coordinator waits for a heartbeat before it evicts the consumer.
    public var sessionTimeout: Duration = .seconds(45)
    /// How often the consumer heartbeats; must be well below ``sessionTimeout``.
    public var heartbeatInterval: Duration = .seconds(3)
    /// Longest time between two consume calls before the consumer is considered stuck and
    /// leaves the group.
    public var maxPollInterval: Duration = .seconds(300)
    /// Where to start in partitions without a committed offset.
    public var offsetReset: OffsetReset = .earliest
    /// Commit stored offsets in the background. Off: only explicit commits.
    public var enableAutoCommit: Bool = false
    /// Store the offset of every consumed message automatically. Off: only what the application
    /// marks as done with ``KafkaConsumer/store(_:)`` is committed.
    public var enableAutoOffsetStore: Bool = false
    /// Report reaching the end of a partition as a ``KafkaMessageBatch/partitionEnds`` event.
    /// Use this rather than comparing with the high watermark, which some brokers report short.
    public var enablePartitionEOF: Bool = true
    /// Prefetch settings.
    public var fetch = FetchOptions()

    /// A consumer of the brokers at `bootstrapServers` in group `groupID` (or no group).
    public init(bootstrapServers: [String], groupID: String?) {
        self.client = ClientConfiguration(bootstrapServers: bootstrapServers)
        self.groupID = groupID
    }
}
