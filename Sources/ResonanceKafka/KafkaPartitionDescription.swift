/// What the cluster knows about one partition.
public struct KafkaPartitionDescription: Hashable, Sendable {
    /// The partition number.
    public var partition: Int32
    /// The broker id of the leader, or -1 when there is none.
    public var leader: Int32
    /// Broker ids holding replicas.
    public var replicas: [Int32]
    /// Low and high watermarks, when they were asked for.
    public var watermarks: KafkaWatermarks?

    /// A partition description.
    public init(partition: Int32, leader: Int32, replicas: [Int32], watermarks: KafkaWatermarks?) {
        self.partition = partition
        self.leader = leader
        self.replicas = replicas
        self.watermarks = watermarks
    }
}
