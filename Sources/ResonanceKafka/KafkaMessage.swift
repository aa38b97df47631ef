import CRdKafka

/// A view of one consumed message inside a ``KafkaMessageBatch``: no bytes are copied.
///
/// Valid only while its batch is alive: do not keep a `KafkaMessage`, nor the buffers it hands
/// out, beyond the batch (copy what must outlive it).
public struct KafkaMessage {
    let pointer: UnsafeMutablePointer<rd_kafka_message_t>

    /// The partition number.
    public var partition: Int32 { pointer.pointee.partition }
    /// The message's offset in its partition.
    public var offset: Int64 { pointer.pointee.offset }
    /// The topic name (allocates a `String`; prefer ``partition`` on hot paths when the topic is
    /// known).
    public var topic: String { String(cString: rd_kafka_topic_name(pointer.pointee.rkt)) }
    /// Topic and partition (allocates the topic name).
    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }

    /// The key bytes, or `nil` for a message without a key.
    public var key: UnsafeRawBufferPointer? {
        pointer.pointee.key.map { UnsafeRawBufferPointer(start: $0, count: pointer.pointee.key_len) }
    }

    /// The value bytes, or `nil` for a tombstone.
    public var value: UnsafeRawBufferPointer? {
        pointer.pointee.payload.map { UnsafeRawBufferPointer(start: $0, count: pointer.pointee.len) }
    }

    /// The message timestamp in milliseconds since 1970 (create or log-append time), if any.
    public var timestampMilliseconds: Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(pointer, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp
    }

    /// Calls `body` with each header's name and value bytes (`nil` for a null header), in order.
    public func forEachHeader<Failure: Error>(
        _ body: (_ name: String, _ value: UnsafeRawBufferPointer?) throws(Failure) -> Void
    ) throws(Failure) {
        var headers: OpaquePointer?
        guard rd_kafka_message_headers(pointer, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR, let headers else { return }
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(headers, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            try body(name.map { String(cString: $0) } ?? "", value.map { UnsafeRawBufferPointer(start: $0, count: size) })
            index += 1
        }
    }

    /// The value of the last header called `name`; `nil` when there is none or it is null.
    public func header(named name: String) -> UnsafeRawBufferPointer? {
        var headers: OpaquePointer?
        guard rd_kafka_message_headers(pointer, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR, let headers else { return nil }
        var value: UnsafeRawPointer?
        var size = 0
        guard rd_kafka_header_get_last(headers, name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR, let value else {
            return nil
        }
        return UnsafeRawBufferPointer(start: value, count: size)
    }

    /// Copies of all headers (allocates; for tests, logs and dead letters).
    public var headers: [KafkaHeader] {
        var result: [KafkaHeader] = []
        forEachHeader { name, value in result.append(KafkaHeader(name: name, value: value.map(Array.init))) }
        return result
    }
}
