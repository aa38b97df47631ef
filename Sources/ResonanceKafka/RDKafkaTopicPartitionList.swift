import CRdKafka

/// Owns one `rd_kafka_topic_partition_list_t` and converts it to and from Swift values.
final class RDKafkaTopicPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: capacity))
    }

    /// A list with the given offsets (or librdkafka's "invalid" offset where `nil`).
    convenience init(_ entries: some Collection<(KafkaTopicPartition, Int64?)>) {
        self.init(capacity: entries.count)
        for (topicPartition, offset) in entries {
            add(topicPartition, offset: offset)
        }
    }

    convenience init(_ partitions: [KafkaTopicPartition]) {
        self.init(partitions.map { ($0, nil as Int64?) })
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    func add(_ topicPartition: KafkaTopicPartition, offset: Int64?) {
        let element = rd_kafka_topic_partition_list_add(pointer, topicPartition.topic, topicPartition.partition)!
        if let offset { element.pointee.offset = offset }
    }

    /// Every partition in a list librdkafka owns (for example one passed to a callback).
    static func partitions(of list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [KafkaTopicPartition] {
        entries(of: list).map(\.topicPartition)
    }

    /// Partition, offset and per-partition error of every element.
    static func entries(
        of list: UnsafePointer<rd_kafka_topic_partition_list_t>
    ) -> [(topicPartition: KafkaTopicPartition, offset: Int64, error: rd_kafka_resp_err_t)] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else { return [] }
        return (0..<count).map { index in
            let element = elements[index]
            return (
                KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition),
                element.offset, element.err
            )
        }
    }

    /// The first per-partition error in the list, if any, as a ``KafkaError``.
    func firstError(context: String) -> KafkaError? {
        for entry in Self.entries(of: pointer) where entry.error != RD_KAFKA_RESP_ERR_NO_ERROR {
            return KafkaError(responseCode: entry.error, context: "\(context) \(entry.topicPartition)")
        }
        return nil
    }
}
