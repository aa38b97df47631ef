import CRdKafka

/// Where a consumer starts or seeks to in a partition.
public enum KafkaOffset: Hashable, Sendable {
    /// The oldest message still in the partition.
    case beginning
    /// After the newest message: only messages produced from now on.
    case end
    /// The group's committed offset, or ``ConsumerConfiguration/offsetReset`` when there is none.
    case committed
    /// This exact offset: the next message to read.
    case exact(Int64)

    /// librdkafka's encoding, where the logical positions are negative sentinels.
    var rawValue: Int64 {
        switch self {
        case .beginning: Int64(RD_KAFKA_OFFSET_BEGINNING)
        case .end: Int64(RD_KAFKA_OFFSET_END)
        case .committed: Int64(RD_KAFKA_OFFSET_STORED)
        case .exact(let offset): offset
        }
    }
}
