/// One partition of one topic: the unit of assignment, offsets and per-partition state.
public struct KafkaTopicPartition: Hashable, Sendable, CustomStringConvertible {
    /// The topic name.
    public var topic: String
    /// The partition number within the topic, from 0.
    public var partition: Int32

    /// Partition `partition` of `topic`.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    /// `topic[partition]`, as in logs.
    public var description: String { "\(topic)[\(partition)]" }
}
