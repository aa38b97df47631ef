/// The consumer reached the current end of a partition (enable.partition.eof).
public struct KafkaPartitionEnd: Hashable, Sendable {
    /// The partition that has no more messages for now.
    public var topicPartition: KafkaTopicPartition
    /// The offset the next message in it will have.
    public var offset: Int64

    /// End of `topicPartition` at `offset`.
    public init(topicPartition: KafkaTopicPartition, offset: Int64) {
        self.topicPartition = topicPartition
        self.offset = offset
    }
}
