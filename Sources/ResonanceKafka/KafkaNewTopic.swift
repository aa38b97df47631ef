/// A topic to create.
public struct KafkaNewTopic: Sendable {
    /// The topic name.
    public var name: String
    /// How many partitions; match the input topic's count for co-partitioned outputs.
    public var partitions: Int32
    /// How many copies of each partition the cluster keeps.
    public var replicationFactor: Int16 = 1
    /// Topic configs, e.g. `["cleanup.policy": "compact"]`.
    public var configs: [String: String] = [:]

    /// Topic `name` with `partitions` partitions, replication factor 1 and no configs.
    public init(name: String, partitions: Int32) {
        self.name = name
        self.partitions = partitions
    }
}
