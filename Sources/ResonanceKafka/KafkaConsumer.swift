import CRdKafka
import Logging

/// A Kafka consumer: in a consumer group (``subscribe(topics:)``) or on explicit partitions
/// (``assign(_:)``), consuming in batches and committing only what the application says is done.
///
/// Threading: the methods block and are meant for a dedicated thread, never the cooperative pool
/// (the pipeline and the topic followers each run on one). librdkafka's handle is thread-safe, so e.g. a commit
/// from one thread while another polls is fine; only ``poll(maxMessages:timeout:)`` should have
/// one caller at a time, since rebalance callbacks run inside it.
///
/// Delivery is at-least-once: after a restart the group resumes from the last committed
/// offset, so messages processed after the last commit before a stop are seen again.
public final class KafkaConsumer: Sendable {
    let client: RDKafkaClient
    let configuration: ConsumerConfiguration
    let logger: Logger

    /// Creates the consumer and checks that a broker answers within
    /// ``ClientConfiguration/connectTimeout`` (blocks up to that long).
    ///
    /// - Parameter rebalanceHandler: told about assigned and revoked partitions of a group
    ///   consumer; without one, assigned partitions start at their committed offsets.
    /// - Throws: `.invalidConfiguration` naming a bad property, `.brokerUnreachable`,
    ///   `.libraryTooOld`.
    public init(
        configuration: ConsumerConfiguration,
        rebalanceHandler: KafkaRebalanceHandler? = nil,
        logger: Logger = Logger(label: "resonance.kafka.consumer")
    ) throws(KafkaError) {
        // Without a handler librdkafka assigns on its own; with one the handler decides offsets.
        let callbacks = RDKafkaCallbacks(logger: logger, rebalanceHandler: rebalanceHandler)
        let client = try RDKafkaClient(
            type: RD_KAFKA_CONSUMER, properties: KafkaProperties.consumer(configuration), callbacks: callbacks
        )
        try client.requireReachable(timeout: configuration.client.connectTimeout)
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// Joins the group and subscribes to `topics`; partitions arrive through the rebalance
    /// handler during later polls.
    ///
    /// - Throws: `.unknownTopic` when a topic does not exist, `.invalidArgument` without a group.
    public func subscribe(topics: [String]) throws(KafkaError) {
        guard configuration.groupID != nil else {
            throw KafkaError(.invalidArgument, "subscribe needs a consumer group; set ConsumerConfiguration.groupID or use assign")
        }
        try requireTopicsExist(topics)
        let list = RDKafkaTopicPartitionList(
            topics.map { (KafkaTopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA), nil as Int64?) }
        )
        try check(rd_kafka_subscribe(client.handle, list.pointer), "subscribe to \(topics)")
    }

    /// Reads exactly these partitions from these offsets, outside any group (replays, drains).
    /// Replaces any previous assignment.
    ///
    /// - Throws: `.unknownTopic` when a topic does not exist.
    public func assign(_ startOffsets: [KafkaTopicPartition: KafkaOffset]) throws(KafkaError) {
        try requireTopicsExist(Set(startOffsets.keys.map(\.topic)).sorted())
        let list = RDKafkaTopicPartitionList(startOffsets.map { ($0.key, $0.value.rawValue as Int64?) })
        try check(rd_kafka_assign(client.handle, list.pointer), "assign \(startOffsets.keys.sorted(by: Self.order))")
    }

    /// All partitions of `topic`.
    ///
    /// - Throws: `.unknownTopic` when it does not exist.
    public func partitions(of topic: String) throws(KafkaError) -> [KafkaTopicPartition] {
        try client.describe(topic: topic, timeout: configuration.client.connectTimeout).partitions.map {
            KafkaTopicPartition(topic: topic, partition: $0.partition)
        }
    }

    /// Waits up to `timeout` for a first message, then returns it with whatever else is already
    /// fetched (up to `maxMessages` in all), with any partition ends and errors seen meanwhile.
    /// Rebalance callbacks run inside this call.
    ///
    /// A batch never waits to fill up: librdkafka's batch call alone blocks until `maxMessages`
    /// are ready or `timeout` passes, which at a moderate rate adds up to `timeout` of latency to
    /// every event. Under load the prefetch queue holds plenty, so batches stay large.
    public func poll(maxMessages: Int = 10_000, timeout: Duration = .milliseconds(100)) throws(KafkaError) -> KafkaMessageBatch {
        try requireOpen()
        if let fatal = client.callbacks.fatalError.withLock({ $0 }) { throw fatal }
        let capacity = max(1, maxMessages)
        let messages = UnsafeMutableBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: capacity)
        var received = rd_kafka_consume_batch_queue(
            client.consumerQueue, Int32(timeout.wholeMilliseconds), messages.baseAddress, 1
        )
        if received == 1, capacity > 1 {
            let more = rd_kafka_consume_batch_queue(client.consumerQueue, 0, messages.baseAddress! + 1, capacity - 1)
            // An error here leaves the first message to be processed; the next poll reports it.
            if more > 0 { received += more }
        }
        guard received >= 0 else {
            messages.deallocate()
            throw KafkaError(responseCode: rd_kafka_last_error(), context: "consume")
        }
        return KafkaMessageBatch(client: client, messages: messages, received: received)
    }

    /// Marks everything before `nextOffsets[p]` in each partition as done; the next
    /// ``commit()`` commits it. Offsets are the next message to read (last processed + 1).
    public func store(_ nextOffsets: [KafkaTopicPartition: Int64]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(nextOffsets.map { ($0.key, $0.value as Int64?) })
        try check(rd_kafka_offsets_store(client.handle, list.pointer), "store offsets")
        if let error = list.firstError(context: "store offset of") { throw error }
    }

    /// Marks `message` and everything before it in its partition as done.
    public func store(after message: KafkaMessage) throws(KafkaError) {
        if let error = rd_kafka_offset_store_message(message.pointer) {
            throw KafkaError(consuming: error, context: "store offset \(message.offset) of partition \(message.partition)")
        }
    }

    /// Commits the stored offsets and waits for the broker's answer. Having nothing to commit is
    /// not an error.
    public func commit() throws(KafkaError) {
        try requireOpen()
        let code = rd_kafka_commit(client.handle, nil, 0)
        guard code != RD_KAFKA_RESP_ERR__NO_OFFSET else { return }
        try check(code, "commit")
    }

    /// Commits exactly `nextOffsets` (next message to read per partition) and waits for the
    /// broker's answer.
    public func commit(_ nextOffsets: [KafkaTopicPartition: Int64]) throws(KafkaError) {
        try requireOpen()
        guard !nextOffsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(nextOffsets.map { ($0.key, $0.value as Int64?) })
        try check(rd_kafka_commit(client.handle, list.pointer, 0), "commit")
        if let error = list.firstError(context: "commit offset of") { throw error }
    }

    /// Starts committing `nextOffsets` (or, when `nil`, the stored offsets) without waiting;
    /// failures are logged and counted in ``failedCommitCount``.
    public func scheduleCommit(_ nextOffsets: [KafkaTopicPartition: Int64]? = nil) throws(KafkaError) {
        try requireOpen()
        let list = nextOffsets.map { RDKafkaTopicPartitionList($0.map { ($0.key, $0.value as Int64?) }) }
        let code = rd_kafka_commit(client.handle, list?.pointer, 1)
        guard code != RD_KAFKA_RESP_ERR__NO_OFFSET else { return }
        try check(code, "commit")
    }

    /// Background commits that failed so far.
    public var failedCommitCount: Int { client.callbacks.failedCommitCount.load(ordering: .relaxed) }

    /// The group's committed offsets (next message to read) for `partitions`; partitions without
    /// a committed offset are missing from the result.
    public func committedOffsets(for partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)) throws(KafkaError) -> [KafkaTopicPartition: Int64] {
        let list = RDKafkaTopicPartitionList(partitions)
        try check(rd_kafka_committed(client.handle, list.pointer, Int32(timeout.wholeMilliseconds)), "read committed offsets")
        if let error = list.firstError(context: "committed offset of") { throw error }
        return offsets(in: list)
    }

    /// This consumer's position (next message it will return) in each of `partitions` that has
    /// one. After a partition end was reported, librdkafka 2.8 may report one past the end.
    public func positions(for partitions: [KafkaTopicPartition]) throws(KafkaError) -> [KafkaTopicPartition: Int64] {
        let list = RDKafkaTopicPartitionList(partitions)
        try check(rd_kafka_position(client.handle, list.pointer), "read positions")
        return offsets(in: list)
    }

    /// Asks the leader for the partition's low and high watermarks (lag = high − committed).
    public func watermarks(for topicPartition: KafkaTopicPartition, timeout: Duration = .seconds(10)) throws(KafkaError) -> KafkaWatermarks {
        try client.queryWatermarks(topicPartition, timeout: timeout)
    }

    /// Moves the read position of assigned partitions; messages already fetched from the old
    /// position are dropped.
    public func seek(_ offsets: [KafkaTopicPartition: KafkaOffset], timeout: Duration = .seconds(10)) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(offsets.map { ($0.key, $0.value.rawValue as Int64?) })
        if let error = rd_kafka_seek_partitions(client.handle, list.pointer, Int32(timeout.wholeMilliseconds)) {
            throw KafkaError(consuming: error, context: "seek")
        }
        if let error = list.firstError(context: "seek") { throw error }
    }

    /// Stops fetching from `partitions` until ``resume(_:)``; they stay assigned.
    public func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(partitions)
        try check(rd_kafka_pause_partitions(client.handle, list.pointer), "pause")
        if let error = list.firstError(context: "pause") { throw error }
    }

    /// Fetches from paused `partitions` again.
    public func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(partitions)
        try check(rd_kafka_resume_partitions(client.handle, list.pointer), "resume")
        if let error = list.firstError(context: "resume") { throw error }
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() throws(KafkaError) -> [KafkaTopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        try check(rd_kafka_assignment(client.handle, &list), "read assignment")
        guard let list else { return [] }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return RDKafkaTopicPartitionList.partitions(of: list).sorted(by: Self.order)
    }

    /// Leaves the group cleanly (the rebalance handler hears about the revocation first, on this
    /// thread) and stops fetching. Commit what is done before calling this; nothing is committed
    /// here. Calling it again does nothing.
    public func close() throws(KafkaError) {
        guard !client.consumerClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try check(rd_kafka_consumer_close(client.handle), "close")
    }

    private func requireOpen() throws(KafkaError) {
        if client.consumerClosed.load(ordering: .acquiring) {
            throw KafkaError(.closed, "the consumer is closed; create a new one")
        }
    }

    private func requireTopicsExist(_ topics: [String]) throws(KafkaError) {
        try client.requireTopicsExist(topics, timeout: configuration.client.connectTimeout)
    }

    private func offsets(in list: RDKafkaTopicPartitionList) -> [KafkaTopicPartition: Int64] {
        var result: [KafkaTopicPartition: Int64] = [:]
        for entry in RDKafkaTopicPartitionList.entries(of: list.pointer) where entry.offset >= 0 {
            result[entry.topicPartition] = entry.offset
        }
        return result
    }

    private func check(_ code: rd_kafka_resp_err_t, _ context: String) throws(KafkaError) {
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(responseCode: code, context: context) }
    }

    static func order(_ left: KafkaTopicPartition, _ right: KafkaTopicPartition) -> Bool {
        (left.topic, left.partition) < (right.topic, right.partition)
    }
}
