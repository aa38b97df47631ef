import CRdKafka

/// Messages from one ``KafkaConsumer/poll(maxMessages:timeout:)``, owned until the batch is
/// released; it also carries the partition ends and errors that came with them.
///
/// Iterating yields ``KafkaMessage`` views into librdkafka's buffers (no copies). The batch
/// frees the messages when it is released, so views must not outlive it.
public final class KafkaMessageBatch: RandomAccessCollection, @unchecked Sendable {
    /// Keeps the handle alive: librdkafka requires messages to be destroyed before it.
    private let client: RDKafkaClient
    private let messages: UnsafeMutableBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>?>
    private let messageCount: Int
    /// Partitions whose current end was reached during this poll.
    public let partitionEnds: [KafkaPartitionEnd]
    /// Per-message errors librdkafka reported during this poll (for example a subscribed topic
    /// that was deleted); librdkafka keeps retrying transient ones.
    public let errors: [KafkaError]

    /// Takes ownership of the `received` messages in `messages`, keeping data messages and
    /// turning the others into events.
    init(client: RDKafkaClient, messages: UnsafeMutableBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>?>, received: Int) {
        var kept = 0
        var ends: [KafkaPartitionEnd] = []
        var errors: [KafkaError] = []
        for index in 0..<received {
            guard let message = messages[index] else { continue }
            let code = message.pointee.err
            if code == RD_KAFKA_RESP_ERR_NO_ERROR {
                messages[kept] = message
                kept += 1
                continue
            }
            let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
            if code == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                ends.append(
                    KafkaPartitionEnd(
                        topicPartition: KafkaTopicPartition(topic: topic, partition: message.pointee.partition),
                        offset: message.pointee.offset
                    )
                )
            } else {
                let detail = String(cString: rd_kafka_message_errstr(message))
                errors.append(KafkaError(responseCode: code, context: "consuming \(topic.isEmpty ? "" : topic + ": ")\(detail)"))
            }
            rd_kafka_message_destroy(message)
        }
        self.client = client
        self.messages = messages
        self.messageCount = kept
        self.partitionEnds = ends
        self.errors = errors
    }

    deinit {
        for index in 0..<messageCount {
            rd_kafka_message_destroy(messages[index])
        }
        messages.deallocate()
    }

    /// The first message's position.
    public var startIndex: Int { 0 }
    /// One past the last message's position.
    public var endIndex: Int { messageCount }

    /// The message at `position`, a view valid while the batch lives.
    public subscript(position: Int) -> KafkaMessage {
        precondition(position >= 0 && position < messageCount, "message index \(position) out of range")
        return KafkaMessage(pointer: messages[position]!)
    }
}
