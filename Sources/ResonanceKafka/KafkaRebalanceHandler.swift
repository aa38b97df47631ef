/// What a group consumer tells the application when partitions move, so per-partition state can
/// be loaded before messages arrive and flushed before the partition goes.
///
/// Both closures run on the thread that called ``KafkaConsumer/poll(maxMessages:timeout:)`` or
/// ``KafkaConsumer/close()`` (the consumer's thread), synchronously, while librdkafka waits: no
/// message of a revoked partition is returned after `revoked` returns, and none of an assigned
/// one before `assigned` returns. They may call the consumer's commit and store methods.
public struct KafkaRebalanceHandler: Sendable {
    /// Called with the newly assigned partitions; returns where to start in each. Partitions
    /// missing from the result start at ``KafkaOffset/committed``.
    public var assigned: @Sendable ([KafkaTopicPartition]) -> [KafkaTopicPartition: KafkaOffset]
    /// Called with the partitions being taken away, before they go.
    public var revoked: @Sendable ([KafkaTopicPartition]) -> Void

    /// A handler from two closures.
    public init(
        assigned: @escaping @Sendable ([KafkaTopicPartition]) -> [KafkaTopicPartition: KafkaOffset],
        revoked: @escaping @Sendable ([KafkaTopicPartition]) -> Void
    ) {
        self.assigned = assigned
        self.revoked = revoked
    }
}
