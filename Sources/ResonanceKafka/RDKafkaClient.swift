import CRdKafka
import Logging
import Synchronization

/// Owns one `rd_kafka_t` and the Swift objects its callbacks reach; destroys the handle in
/// `deinit`. librdkafka handles are thread-safe, so this is shared freely between threads.
final class RDKafkaClient: @unchecked Sendable {
    let handle: OpaquePointer
    let callbacks: RDKafkaCallbacks
    let bootstrapServers: String
    /// A consumer's queue (`rd_kafka_queue_get_consumer`), which must be released before the
    /// handle.
    private(set) var consumerQueue: OpaquePointer?
    /// Set by a consumer after `rd_kafka_consumer_close`, so `deinit` does not close twice.
    let consumerClosed = Atomic<Bool>(false)
    /// Set by a producer's close, after which sends are refused.
    let producerClosed = Atomic<Bool>(false)

    /// Builds the configuration from `properties` (rejecting unknown properties and invalid
    /// values by name) and creates the handle.
    init(
        type: rd_kafka_type_t, properties: [(String, String)], callbacks: RDKafkaCallbacks
    ) throws(KafkaError) {
        try KafkaLibrary.requireSupportedVersion()
        let configuration = rd_kafka_conf_new()!
        var errorText = [CChar](repeating: 0, count: 512)
        for (name, value) in properties {
            let result = rd_kafka_conf_set(configuration, name, value, &errorText, errorText.count)
            guard result == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(configuration)
                let reason = String(errorBuffer: errorText)
                let what = result == RD_KAFKA_CONF_UNKNOWN ? "unknown property" : "invalid value \"\(value)\" for"
                throw KafkaError(
                    .invalidConfiguration,
                    "\(what) \(name): \(reason); fix or remove it (see librdkafka's CONFIGURATION.md)"
                )
            }
        }
        callbacks.install(on: configuration, type: type)
        guard let handle = rd_kafka_new(type, configuration, &errorText, errorText.count) else {
            // On failure the configuration still belongs to us.
            rd_kafka_conf_destroy(configuration)
            throw KafkaError(.invalidConfiguration, "cannot create the Kafka client: \(String(errorBuffer: errorText))")
        }
        self.handle = handle
        self.callbacks = callbacks
        self.bootstrapServers = properties.last { $0.0 == "bootstrap.servers" }?.1 ?? ""
    }

    /// Routes everything a consumer handle produces (rebalances, errors, messages) to one
    /// queue that batch consumption serves.
    func makeConsumerQueue() {
        rd_kafka_poll_set_consumer(handle)
        consumerQueue = rd_kafka_queue_get_consumer(handle)
    }

    deinit {
        if let consumerQueue { rd_kafka_queue_destroy(consumerQueue) }
        if consumerClosed.load(ordering: .acquiring) {
            rd_kafka_destroy_flags(handle, Int32(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE))
        } else {
            rd_kafka_destroy(handle)
        }
    }

    /// The cluster's topics and partitions. Blocks up to `timeout`; an unanswered request means
    /// no broker is reachable.
    func metadata(timeout: Duration) throws(KafkaError) -> [KafkaTopicDescription] {
        var metadata: UnsafePointer<rd_kafka_metadata_t>?
        let code = rd_kafka_metadata(handle, 1, nil, &metadata, Int32(timeout.wholeMilliseconds))
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw unreachable(code, timeout: timeout)
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        return (0..<Int(metadata.pointee.topic_cnt)).compactMap { index in
            let topic = metadata.pointee.topics[index]
            guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
            let name = String(cString: topic.topic)
            let partitions = (0..<Int(topic.partition_cnt)).map { partitionIndex in
                let partition = topic.partitions[partitionIndex]
                return KafkaPartitionDescription(
                    partition: partition.id, leader: partition.leader,
                    replicas: (0..<Int(partition.replica_cnt)).map { partition.replicas[$0] },
                    watermarks: nil
                )
            }
            return KafkaTopicDescription(name: name, partitions: partitions.sorted { $0.partition < $1.partition })
        }
    }

    /// Fails fast with `.brokerUnreachable` when no broker answers within `timeout`, so a wrong
    /// address is one clear error at start rather than endless retries.
    func requireReachable(timeout: Duration) throws(KafkaError) {
        var metadata: UnsafePointer<rd_kafka_metadata_t>?
        let code = rd_kafka_metadata(handle, 0, nil, &metadata, Int32(timeout.wholeMilliseconds))
        if let metadata { rd_kafka_metadata_destroy(metadata) }
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw unreachable(code, timeout: timeout) }
    }

    /// The named topic's description; `.unknownTopic` when the cluster does not have it.
    func describe(topic: String, timeout: Duration) throws(KafkaError) -> KafkaTopicDescription {
        guard let description = try metadata(timeout: timeout).first(where: { $0.name == topic }) else {
            throw KafkaError(.unknownTopic, "topic \(topic) does not exist on \(bootstrapServers); create it first")
        }
        return description
    }

    /// Asks the partition leader for the current watermarks.
    func queryWatermarks(_ topicPartition: KafkaTopicPartition, timeout: Duration) throws(KafkaError) -> KafkaWatermarks {
        var low: Int64 = 0
        var high: Int64 = 0
        let code = rd_kafka_query_watermark_offsets(
            handle, topicPartition.topic, topicPartition.partition, &low, &high, Int32(timeout.wholeMilliseconds)
        )
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(responseCode: code, context: "watermarks of \(topicPartition)")
        }
        return KafkaWatermarks(low: low, high: high)
    }

    private func unreachable(_ code: rd_kafka_resp_err_t, timeout: Duration) -> KafkaError {
        let reason = String(cString: rd_kafka_err2str(code))
        return KafkaError(
            .brokerUnreachable,
            "no Kafka broker at \(bootstrapServers) answered within \(timeout) (\(reason)); "
                + "check the address and that the broker runs (scripts/broker start)"
        )
    }
}
