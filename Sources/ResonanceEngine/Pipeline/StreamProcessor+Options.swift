extension StreamProcessor {
    /// Where a replay stops, per partition.
    public struct ReplayLimit: Sendable, Equatable {
        /// Stop before the first event later than this (epoch milliseconds).
        public var time: Int64?
        /// Stop before this offset.
        public var offset: Int64?

        public init(time: Int64? = nil, offset: Int64? = nil) {
            self.time = time
            self.offset = offset
        }
    }

    /// How a run reads its input, beyond the configuration file.
    public struct Options: Sendable {
        /// Ignore existing snapshots and rebuild every partition from its earliest offset.
        public var ignoreSnapshots = false
        /// In ``Mode/untilCaughtUp``: stop each partition here instead of at its end.
        public var replayLimit: ReplayLimit?
        /// Most messages a partition may have waiting in this process before it is paused (its
        /// fetching stops until fewer than half as many wait). During a replay a partition can
        /// run far ahead of one that holds the others back at an epoch (a viral day in one
        /// partition), and without a bound everything polled for it would wait here, decoded
        /// (about 600 bytes a message with librdkafka's copy), however long the topic. 200,000
        /// is above what the 1M-event Twitter15/16 drain queues, so replays of ordinary input
        /// never pause: at 50,000 the drain paused partitions, whose prefetched messages
        /// librdkafka then fetched again, and was up to 12% slower.
        ///
        /// A partition can go past it by what was polled before its pause took effect: the batch
        /// in hand and the next poll, so by up to 2 × ``pollLimit``.
        public var maxQueuedPerPartition = 200_000
        /// Most messages one poll returns; a full poll means input is backed up. (Smaller in
        /// tests, to see what happens between polls.)
        public var pollLimit = 10_000

        public init() {}
    }
}
