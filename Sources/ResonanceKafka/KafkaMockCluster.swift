import CRdKafka

/// An in-process Kafka cluster from librdkafka's mock broker, for tests without a real broker.
///
/// It speaks the Kafka protocol on loopback ports; point a client at ``bootstrapServers``. Topics
/// must be created with ``createTopic(_:partitions:)`` (the mock has no CreateTopics API).
public final class KafkaMockCluster: @unchecked Sendable {
    /// Owns the cluster: librdkafka ties a mock cluster's lifetime to a client handle.
    private let owner: RDKafkaClient
    private let cluster: OpaquePointer

    /// The Kafka protocol request numbers whose errors can be injected.
    public enum Request: Int16, Sendable {
        /// Produce (API key 0).
        case produce = 0
        /// Fetch (API key 1).
        case fetch = 1
        /// ListOffsets (API key 2).
        case listOffsets = 2
        /// Metadata (API key 3).
        case metadata = 3
        /// OffsetCommit (API key 8).
        case offsetCommit = 8
        /// OffsetFetch (API key 9).
        case offsetFetch = 9
    }

    /// Starts a cluster of `brokers` mock brokers.
    public init(brokers: Int = 1) throws(KafkaError) {
        let owner = try RDKafkaClient(
            type: RD_KAFKA_PRODUCER, properties: [("log_level", "3")],
            callbacks: RDKafkaCallbacks(logger: .init(label: "resonance.kafka.mock"))
        )
        guard let cluster = rd_kafka_mock_cluster_new(owner.handle, Int32(brokers)) else {
            throw KafkaError(.librdkafka(-1), "cannot start librdkafka's mock cluster")
        }
        self.owner = owner
        self.cluster = cluster
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
    }

    /// `host:port,...` of the mock brokers.
    public var bootstrapServers: String { String(cString: rd_kafka_mock_cluster_bootstraps(cluster)) }

    /// Creates `name` with `partitions` partitions.
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws(KafkaError) {
        let code = rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(responseCode: code, context: "create mock topic \(name)")
        }
    }

    /// Makes the next `codes.count` requests of kind `request` fail with these Kafka error codes,
    /// in order (e.g. 29 TOPIC_AUTHORIZATION_FAILED, 10 MESSAGE_TOO_LARGE, 6 NOT_LEADER).
    public func failNextRequests(_ request: Request, with codes: [Int32]) {
        let errors = codes.map { rd_kafka_resp_err_t(rawValue: $0) }
        rd_kafka_mock_push_request_errors_array(cluster, request.rawValue, errors.count, errors)
    }
}
