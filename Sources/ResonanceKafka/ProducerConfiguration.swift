/// How a ``KafkaProducer`` partitions, batches and retries.
public struct ProducerConfiguration: Sendable {
    /// How keys map to partitions.
    public enum Partitioner: String, Sendable {
        /// Java-client compatible murmur2 of the key; keyless messages go to random partitions.
        case murmur2Random = "murmur2_random"
        /// Java-client compatible murmur2 of the key; keyless messages all go to one partition.
        case murmur2
        /// librdkafka's CRC32 of the key; keyless messages go to random partitions.
        case consistentRandom = "consistent_random"
        /// Random partition for every message.
        case random
    }

    /// Compression of produced batches.
    public enum Compression: String, Sendable {
        /// No compression.
        case none
        /// LZ4: cheap and fast.
        case lz4
        /// Zstandard: smaller, more CPU.
        case zstd
        /// gzip: for brokers or consumers that know nothing newer.
        case gzip
    }

    /// Shared client settings.
    public var client: ClientConfiguration
    /// Exactly-once per partition from this producer even when it retries (implies `acks=all`).
    public var enableIdempotence: Bool = true
    /// Murmur2 by default so keys land in the same partitions as with Java clients and the
    /// input topics (co-partitioning).
    public var partitioner: Partitioner = .murmur2Random
    /// How long to wait for more messages before sending a batch.
    public var linger: Duration = .milliseconds(5)
    /// Largest batch in bytes.
    public var batchBytes: Int = 1_000_000
    /// Batch compression.
    public var compression: Compression = .none
    /// How long a message may wait for delivery, retries included, before it fails.
    public var messageTimeout: Duration = .seconds(300)
    /// Messages the local queue holds before ``KafkaProducer/send(topic:key:value:headers:partition:)``
    /// waits for room.
    public var queueMaxMessages: Int = 1_000_000
    /// Kilobytes the local queue holds before sends wait for room.
    public var queueMaxKilobytes: Int = 1_048_576

    /// A producer to the brokers at `bootstrapServers` with every other field at its default.
    public init(bootstrapServers: [String]) {
        self.client = ClientConfiguration(bootstrapServers: bootstrapServers)
    }
}
