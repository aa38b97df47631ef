import ResonanceKafka

/// Which assigned input partitions have been read to their end, the end offsets seen there, and
/// which a replay limit stopped. A value type the processing thread updates from rebalances and
/// polls; it answers whether a replay is caught up and how far each partition lags.
struct InputEnds: Sendable {
    /// Assigned and not yet at their end since.
    private(set) var awaitingEnd: Set<KafkaTopicPartition> = []
    /// Assigned and at their end at least once since.
    private var reachedEnd: Set<KafkaTopicPartition> = []
    /// The end offset each partition reported last.
    private var endOffsets: [KafkaTopicPartition: Int64] = [:]
    /// Stopped at a replay limit: read no further.
    private var stoppedAtLimit: Set<KafkaTopicPartition> = []

    /// Every assigned partition has been at its end.
    var allReached: Bool { awaitingEnd.isEmpty }

    /// The partitions assigned here.
    var assigned: [KafkaTopicPartition] { Array(awaitingEnd.union(reachedEnd)) }

    /// `topicPartition` was assigned: its end is to be read (again).
    mutating func assigned(_ topicPartition: KafkaTopicPartition) {
        awaitingEnd.insert(topicPartition)
        reachedEnd.remove(topicPartition)
    }

    /// `topicPartition` was revoked: nothing about it is tracked any more.
    mutating func revoked(_ topicPartition: KafkaTopicPartition) {
        awaitingEnd.remove(topicPartition)
        reachedEnd.remove(topicPartition)
        endOffsets[topicPartition] = nil
    }

    /// A poll reported `topicPartition`'s end at `offset`.
    mutating func reached(_ topicPartition: KafkaTopicPartition, at offset: Int64) {
        awaitingEnd.remove(topicPartition)
        reachedEnd.insert(topicPartition)
        endOffsets[topicPartition] = offset
    }

    /// A replay limit stopped `topicPartition`; true the first time. It counts as at its end.
    mutating func stopAtLimit(_ topicPartition: KafkaTopicPartition) -> Bool {
        awaitingEnd.remove(topicPartition)
        return stoppedAtLimit.insert(topicPartition).inserted
    }

    /// Whether a replay limit stopped `topicPartition`.
    func isStopped(_ topicPartition: KafkaTopicPartition) -> Bool { stoppedAtLimit.contains(topicPartition) }

    /// Whether a replay limit stopped any topic's partition `partition`.
    func isStopped(partition: Int32) -> Bool { stoppedAtLimit.contains { $0.partition == partition } }

    /// The offsets a state resuming at `next` needs that the input no longer retains, given its
    /// earliest retained offset; nil when nothing is missing.
    static func lost(resumingAt next: Int64, earliestRetained: Int64) -> Range<Int64>? {
        earliestRetained > next ? next..<earliestRetained : nil
    }

    /// How far each position is behind its partition's end: exact while caught up, and a lower
    /// bound once new input arrives (the next end reported corrects it).
    func lag(positions: [KafkaTopicPartition: Int64]) -> [KafkaTopicPartition: Int64] {
        var lag: [KafkaTopicPartition: Int64] = [:]
        for (topicPartition, position) in positions {
            if let end = endOffsets[topicPartition] { lag[topicPartition] = max(0, end - position) }
        }
        return lag
    }
}
