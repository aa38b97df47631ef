import CRdKafka
import Logging

/// Creates, describes and deletes topics.
///
/// The methods block up to ``AdminConfiguration/operationTimeout``: call them from a thread that
/// may block (the pipeline's), never from the cooperative pool.
public final class KafkaAdmin: Sendable {
    let client: RDKafkaClient
    let configuration: AdminConfiguration

    /// Creates the admin client and checks that a broker answers within
    /// ``ClientConfiguration/connectTimeout`` (blocks up to that long).
    ///
    /// - Throws: `.invalidConfiguration` naming a bad property, `.brokerUnreachable`,
    ///   `.libraryTooOld`.
    public init(configuration: AdminConfiguration, logger: Logger = Logger(label: "resonance.kafka.admin")) throws(KafkaError) {
        let client = try RDKafkaClient(
            type: RD_KAFKA_PRODUCER, properties: KafkaProperties.admin(configuration),
            callbacks: RDKafkaCallbacks(logger: logger)
        )
        try client.requireReachable(timeout: configuration.client.connectTimeout)
        self.client = client
        self.configuration = configuration
    }

    /// Creates `topic`.
    ///
    /// - Throws: `.topicAlreadyExists` when it exists (callers that only need it to exist can
    ///   ignore that), `.invalidConfiguration` for a bad topic config, `.timedOut`.
    public func createTopic(_ topic: KafkaNewTopic) throws(KafkaError) {
        var errorText = [CChar](repeating: 0, count: 512)
        guard let newTopic = rd_kafka_NewTopic_new(
            topic.name, topic.partitions, Int32(topic.replicationFactor), &errorText, errorText.count
        ) else {
            throw KafkaError(.invalidArgument, "cannot create topic \(topic.name): \(String(errorBuffer: errorText))")
        }
        defer { rd_kafka_NewTopic_destroy(newTopic) }
        for (name, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
            let code = rd_kafka_NewTopic_set_config(newTopic, name, value)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(.invalidConfiguration, "topic config \(name)=\(value) is rejected: \(String(cString: rd_kafka_err2str(code)))")
            }
        }
        var topics: [OpaquePointer?] = [newTopic]
        try perform(RD_KAFKA_ADMIN_OP_CREATETOPICS, what: "create topic \(topic.name)") { options, queue in
            rd_kafka_CreateTopics(client.handle, &topics, 1, options, queue)
        } results: { event in
            var count = 0
            let result = rd_kafka_event_CreateTopics_result(event)
            let topicResults = rd_kafka_CreateTopics_result_topics(result, &count)
            return (0..<count).map { topicResults![$0]! }
        }
    }

    /// Deletes `name`.
    ///
    /// - Throws: `.unknownTopic` when it does not exist, `.timedOut`.
    public func deleteTopic(_ name: String) throws(KafkaError) {
        let deleteTopic = rd_kafka_DeleteTopic_new(name)
        defer { rd_kafka_DeleteTopic_destroy(deleteTopic) }
        var topics: [OpaquePointer?] = [deleteTopic]
        try perform(RD_KAFKA_ADMIN_OP_DELETETOPICS, what: "delete topic \(name)") { options, queue in
            rd_kafka_DeleteTopics(client.handle, &topics, 1, options, queue)
        } results: { event in
            var count = 0
            let result = rd_kafka_event_DeleteTopics_result(event)
            let topicResults = rd_kafka_DeleteTopics_result_topics(result, &count)
            return (0..<count).map { topicResults![$0]! }
        }
    }

    /// The partitions of `name` with their leaders and replicas, and, when
    /// `includeWatermarks`, each partition's watermarks (one request per partition).
    ///
    /// - Throws: `.unknownTopic` when it does not exist.
    public func describeTopic(_ name: String, includeWatermarks: Bool = false) throws(KafkaError) -> KafkaTopicDescription {
        var description = try client.describe(topic: name, timeout: configuration.operationTimeout)
        if includeWatermarks {
            for index in description.partitions.indices {
                let topicPartition = KafkaTopicPartition(topic: name, partition: description.partitions[index].partition)
                description.partitions[index].watermarks = try client.queryWatermarks(
                    topicPartition, timeout: configuration.operationTimeout
                )
            }
        }
        return description
    }

    /// The names of all topics in the cluster.
    public func topicNames() throws(KafkaError) -> [String] {
        try client.metadata(timeout: configuration.operationTimeout).map(\.name).sorted()
    }

    /// Sends one admin request, waits for its result event, and throws the first per-topic
    /// error.
    private func perform(
        _ operation: rd_kafka_admin_op_t, what: String,
        request: (OpaquePointer, OpaquePointer) -> Void,
        results: (OpaquePointer) -> [OpaquePointer]
    ) throws(KafkaError) {
        let timeout = configuration.operationTimeout
        var errorText = [CChar](repeating: 0, count: 512)
        let options = rd_kafka_AdminOptions_new(client.handle, operation)!
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, Int32(timeout.wholeMilliseconds), &errorText, errorText.count)
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, Int32(timeout.wholeMilliseconds), &errorText, errorText.count)
        let queue = rd_kafka_queue_new(client.handle)!
        defer { rd_kafka_queue_destroy(queue) }
        request(options, queue)
        // librdkafka answers by the request timeout itself; the margin only guards against a
        // lost event so this can never hang.
        guard let event = rd_kafka_queue_poll(queue, Int32((timeout + .seconds(5)).wholeMilliseconds)) else {
            throw KafkaError(.timedOut, "\(what): no answer within \(timeout); check the broker")
        }
        defer { rd_kafka_event_destroy(event) }
        let code = rd_kafka_event_error(event)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            let detail = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            throw KafkaError(responseCode: code, context: "\(what) (\(detail))")
        }
        for result in results(event) {
            let code = rd_kafka_topic_result_error(result)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                let detail = rd_kafka_topic_result_error_string(result).map { String(cString: $0) } ?? ""
                var error = KafkaError(responseCode: code, context: what)
                if code == RD_KAFKA_RESP_ERR_INVALID_CONFIG { error.code = .invalidConfiguration }
                if !detail.isEmpty, !error.message.contains(detail) { error.message += " [\(detail)]" }
                throw error
            }
        }
    }
}
