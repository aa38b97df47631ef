/// What the cluster knows about one topic.
public struct KafkaTopicDescription: Hashable, Sendable {
    /// The topic name.
    public var name: String
    /// Its partitions, by partition number.
    public var partitions: [KafkaPartitionDescription]

    /// A description of `name` with `partitions`.
    public init(name: String, partitions: [KafkaPartitionDescription]) {
        self.name = name
        self.partitions = partitions
    }
}
