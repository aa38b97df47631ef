import CRdKafka
import Logging

/// A Kafka producer: keyed messages with headers, delivered asynchronously; delivery reports are
/// served on a dedicated thread, failures go to a handler and are counted.
///
/// Idempotent and murmur2-partitioned by default (see ``ProducerConfiguration``). All methods are
/// safe from any thread; ``send(topic:key:value:headers:partition:)`` only blocks while the local
/// queue is full, ``flush(timeout:)`` and ``close(timeout:)`` block by design.
///
/// Call ``close(timeout:)`` on shutdown: releasing a producer without it drops messages that
/// were still undelivered.
public final class KafkaProducer: Sendable {
    let client: RDKafkaClient
    private let connectTimeout: Duration
    private let pollThread = RDKafkaPollThread()
    private let logger: Logger

    /// Creates the producer, checks that a broker answers within
    /// ``ClientConfiguration/connectTimeout`` (blocks up to that long), and starts its poll
    /// thread.
    ///
    /// - Parameter deliveryFailureHandler: called on the poll thread for every message that
    ///   could not be delivered; without one, failures are logged.
    /// - Throws: `.invalidConfiguration` naming a bad property, `.brokerUnreachable`,
    ///   `.libraryTooOld`.
    public init(
        configuration: ProducerConfiguration,
        deliveryFailureHandler: (@Sendable (KafkaDeliveryFailure) -> Void)? = nil,
        logger: Logger = Logger(label: "resonance.kafka.producer")
    ) throws(KafkaError) {
        let callbacks = RDKafkaCallbacks(logger: logger, deliveryFailureHandler: deliveryFailureHandler)
        let client = try RDKafkaClient(
            type: RD_KAFKA_PRODUCER, properties: KafkaProperties.producer(configuration), callbacks: callbacks
        )
        try client.requireReachable(timeout: configuration.client.connectTimeout)
        self.client = client
        self.connectTimeout = configuration.client.connectTimeout
        self.logger = logger
        pollThread.start(client: client, name: "resonance.kafka.producer.poll")
    }

    deinit {
        pollThread.stop()
    }

    /// Queues one message for delivery; bytes are copied, so the buffers may be reused at once.
    ///
    /// - Parameters:
    ///   - value: `nil` produces a tombstone (deletes `key` in a compacted topic).
    ///   - partition: `nil` lets the partitioner choose from the key.
    /// - Throws: `.closed` after ``close(timeout:)``; librdkafka errors such as a message larger
    ///   than `message.max.bytes`. A full local queue is not an error: the call waits for room.
    public func send(
        topic: String, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headers: [KafkaHeader] = [], partition: Int32? = nil
    ) throws(KafkaError) {
        if client.producerClosed.load(ordering: .acquiring) {
            throw KafkaError(.closed, "the producer is closed; create a new one")
        }
        while true {
            guard let error = enqueue(topic: topic, key: key, value: value, headers: headers, partition: partition) else {
                return
            }
            guard rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL else {
                throw KafkaError(consuming: error, context: "produce to \(topic)")
            }
            rd_kafka_error_destroy(error)
            // Serving delivery reports here too frees queue room as soon as the broker acks.
            rd_kafka_poll(client.handle, 10)
        }
    }

    /// Queues one message; see ``send(topic:key:value:headers:partition:)-(_,UnsafeRawBufferPointer?,_,_,_)``.
    public func send(
        topic: String, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = [], partition: Int32? = nil
    ) throws(KafkaError) {
        try withOptionalBytes(key) { (keyBytes) throws(KafkaError) in
            try withOptionalBytes(value) { (valueBytes) throws(KafkaError) in
                try send(topic: topic, key: keyBytes, value: valueBytes, headers: headers, partition: partition)
            }
        }
    }

    /// Checks that every topic this producer will write to exists, so a missing one is one
    /// error at start instead of delivery failures later (blocks up to the connect timeout).
    ///
    /// - Throws: `.unknownTopic` naming the first missing topic.
    public func requireTopics(_ topics: [String]) throws(KafkaError) {
        try client.requireTopicsExist(topics, timeout: connectTimeout)
    }

    /// Waits until every queued message is delivered or failed, up to `timeout`.
    ///
    /// - Throws: `.timedOut` naming how many messages are still in flight.
    public func flush(timeout: Duration) throws(KafkaError) {
        let code = rd_kafka_flush(client.handle, Int32(timeout.wholeMilliseconds))
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(
                .timedOut,
                "\(outstandingCount) messages still undelivered after \(timeout); check the broker, or flush longer"
            )
        }
    }

    /// Messages queued or in flight (not yet delivered or failed).
    public var outstandingCount: Int { Int(rd_kafka_outq_len(client.handle)) }
    /// Messages the broker acknowledged so far.
    public var deliveredCount: Int { client.callbacks.deliveredCount.load(ordering: .relaxed) }
    /// Messages that failed delivery so far (each also went to the failure handler).
    public var failedDeliveryCount: Int { client.callbacks.failedDeliveryCount.load(ordering: .relaxed) }

    /// Flushes for up to `timeout`, then stops the poll thread. Idempotent; sends after this
    /// throw `.closed`.
    ///
    /// - Throws: `.timedOut` when messages were still undelivered (they are then dropped).
    public func close(timeout: Duration = .seconds(30)) throws(KafkaError) {
        defer { pollThread.stop() }
        guard !client.producerClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try flush(timeout: timeout)
    }

    /// Hands librdkafka one message; returns its error object (to be consumed) or `nil`.
    private func enqueue(
        topic: String, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headers: [KafkaHeader], partition: Int32?
    ) -> OpaquePointer? {
        // The argument list on the stack: an array here was almost a fifth of the scorer's mallocs
        // during a replay (one per score change and standings record).
        topic.withCString { topicName in
            withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 6) { arguments in
                arguments.initialize(repeating: rd_kafka_vu_t())
                arguments[0].vtype = RD_KAFKA_VTYPE_TOPIC
                arguments[0].u.cstr = topicName
                arguments[1].vtype = RD_KAFKA_VTYPE_PARTITION
                arguments[1].u.i32 = partition ?? RD_KAFKA_PARTITION_UA
                arguments[2].vtype = RD_KAFKA_VTYPE_KEY
                arguments[2].u.mem.ptr = key.flatMap { UnsafeMutableRawPointer(mutating: $0.baseAddress) }
                arguments[2].u.mem.size = key?.count ?? 0
                arguments[3].vtype = RD_KAFKA_VTYPE_VALUE
                arguments[3].u.mem.ptr = value.flatMap { UnsafeMutableRawPointer(mutating: $0.baseAddress) }
                arguments[3].u.mem.size = value?.count ?? 0
                arguments[4].vtype = RD_KAFKA_VTYPE_MSGFLAGS
                arguments[4].u.i = RD_KAFKA_MSG_F_COPY
                var count = 5
                var headerList: OpaquePointer?
                if !headers.isEmpty {
                    let list = rd_kafka_headers_new(headers.count)!
                    for header in headers {
                        if let bytes = header.value {
                            _ = bytes.withUnsafeBytes { rd_kafka_header_add(list, header.name, -1, $0.baseAddress, $0.count) }
                        } else {
                            _ = rd_kafka_header_add(list, header.name, -1, nil, 0)
                        }
                    }
                    arguments[5].vtype = RD_KAFKA_VTYPE_HEADERS
                    arguments[5].u.headers = list
                    headerList = list
                    count = 6
                }
                let error = rd_kafka_produceva(client.handle, arguments.baseAddress, count)
                // librdkafka owns the headers only when the message was accepted.
                if error != nil, let headerList { rd_kafka_headers_destroy(headerList) }
                return error
            }
        }
    }
}

/// Calls `body` with the bytes of `array`, or with `nil` when there is no array; a null key or
/// value is distinct from an empty one.
private func withOptionalBytes<Result>(
    _ array: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws(KafkaError) -> Result
) throws(KafkaError) -> Result {
    guard let array else { return try body(nil) }
    let outcome: Swift.Result<Result, KafkaError> = array.withUnsafeBytes { bytes in
        // An empty array may have no base address; librdkafka needs one to tell empty from null.
        let nonNull = bytes.baseAddress == nil ? UnsafeRawBufferPointer(start: emptyBytes, count: 0) : bytes
        return Swift.Result { () throws(KafkaError) -> Result in try body(nonNull) }
    }
    return try outcome.get()
}

/// A valid address for zero-length buffers.
nonisolated(unsafe) private let emptyBytes = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
