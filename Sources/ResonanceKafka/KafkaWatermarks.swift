/// The range of offsets a partition holds.
public struct KafkaWatermarks: Hashable, Sendable {
    /// The oldest offset still in the partition.
    public var low: Int64
    /// The offset the next produced message will get. Some brokers (Tansu) report it short
    /// right after batched produces; detect the end of a partition with
    /// ``KafkaMessageBatch/partitionEnds`` rather than by comparing with it.
    public var high: Int64

    /// Watermarks `low..<high`.
    public init(low: Int64, high: Int64) {
        self.low = low
        self.high = high
    }

    /// How many messages are left after `offset` (the next offset to consume), never negative.
    public func lag(after offset: Int64) -> Int64 { max(0, high - max(offset, low)) }
}
