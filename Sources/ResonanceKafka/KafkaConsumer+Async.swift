import Logging

/// Async twins of the blocking methods: each runs on the consumer's serial queue, so the
/// cooperative pool never blocks in librdkafka, and they execute in the order they are called.
extension KafkaConsumer {
    /// Creates a consumer off the cooperative pool (the start-up reachability check blocks).
    public static func connect(
        configuration: ConsumerConfiguration,
        rebalanceHandler: KafkaRebalanceHandler? = nil,
        logger: Logger = Logger(label: "resonance.kafka.consumer")
    ) async throws(KafkaError) -> KafkaConsumer {
        try await BlockingWorker(label: "resonance.kafka.consumer.start").run { () throws(KafkaError) in
            try KafkaConsumer(configuration: configuration, rebalanceHandler: rebalanceHandler, logger: logger)
        }
    }

    /// See ``subscribe(topics:)``.
    public func subscribe(topics: [String]) async throws(KafkaError) {
        try await worker.run { () throws(KafkaError) in try self.subscribe(topics: topics) }
    }

    /// See ``assign(_:)``.
    public func assign(_ startOffsets: [KafkaTopicPartition: KafkaOffset]) async throws(KafkaError) {
        try await worker.run { () throws(KafkaError) in try self.assign(startOffsets) }
    }

    /// See ``partitions(of:)``.
    public func partitions(of topic: String) async throws(KafkaError) -> [KafkaTopicPartition] {
        try await worker.run { () throws(KafkaError) in try self.partitions(of: topic) }
    }

    /// See ``poll(maxMessages:timeout:)``; the rebalance handler runs on the consumer's queue.
    public func poll(maxMessages: Int = 10_000, timeout: Duration = .milliseconds(100)) async throws(KafkaError) -> KafkaMessageBatch {
        try await worker.run { () throws(KafkaError) in try self.poll(maxMessages: maxMessages, timeout: timeout) }
    }

    /// See ``commit()``.
    public func commit() async throws(KafkaError) {
        try await worker.run { () throws(KafkaError) in try self.commit() }
    }

    /// See ``commit(_:)``.
    public func commit(_ nextOffsets: [KafkaTopicPartition: Int64]) async throws(KafkaError) {
        try await worker.run { () throws(KafkaError) in try self.commit(nextOffsets) }
    }

    /// See ``committedOffsets(for:timeout:)``.
    public func committedOffsets(
        for partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)
    ) async throws(KafkaError) -> [KafkaTopicPartition: Int64] {
        try await worker.run { () throws(KafkaError) in try self.committedOffsets(for: partitions, timeout: timeout) }
    }

    /// See ``watermarks(for:timeout:)``.
    public func watermarks(for topicPartition: KafkaTopicPartition, timeout: Duration = .seconds(10)) async throws(KafkaError) -> KafkaWatermarks {
        try await worker.run { () throws(KafkaError) in try self.watermarks(for: topicPartition, timeout: timeout) }
    }

    /// See ``seek(_:timeout:)``.
    public func seek(_ offsets: [KafkaTopicPartition: KafkaOffset], timeout: Duration = .seconds(10)) async throws(KafkaError) {
        try await worker.run { () throws(KafkaError) in try self.seek(offsets, timeout: timeout) }
    }

    /// See ``close()``; waits for an in-flight async poll to return first.
    public func close() async throws(KafkaError) {
        try await worker.run { () throws(KafkaError) in try self.close() }
    }
}
