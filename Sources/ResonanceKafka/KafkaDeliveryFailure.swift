/// A produced message that could not be delivered (after librdkafka's own retries).
public struct KafkaDeliveryFailure: Sendable {
    /// The topic it was sent to.
    public var topic: String
    /// The partition it was meant for, or -1 when none was chosen yet.
    public var partition: Int32
    /// A copy of its key, so the application can tell which message failed.
    public var key: [UInt8]?
    /// Why delivery failed.
    public var error: KafkaError

    /// A failure report.
    public init(topic: String, partition: Int32, key: [UInt8]?, error: KafkaError) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.error = error
    }
}
