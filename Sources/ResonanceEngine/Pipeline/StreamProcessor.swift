import Foundation
import Logging
import ResonanceKafka
import ResonanceModel
import Synchronization

/// `resonance run` on Kafka: consumes the input topics in a consumer group, applies events to
/// per-partition states, publishes score changes to the (compacted, co-partitioned) scores topic
/// and rejected input to the dead-letter topic.
///
/// The parts, each in a file of its own: ``TopicSetup`` checks and creates the topics;
/// ``OwnedPartition`` is one partition's state, queue and input ends; ``PartitionLanes`` applies
/// queued messages on several threads; ``OutputPublisher`` writes changes, standings and dead
/// letters; ``Backpressure`` pauses partitions that run ahead; ``PartitionSnapshots`` takes,
/// writes and commits snapshots; ``PartitionRestorer`` and `StreamProcessor+Rebalance.swift`
/// hand partitions in and out; `StreamProcessor+Messages.swift` takes a message from poll to
/// state. This file is the poll loop that drives them.
///
/// Threading: ``run(stop:)`` blocks and must run on a dedicated thread (it makes blocking
/// librdkafka calls); the rebalance handler runs inside its polls, so every piece of mutable
/// state below is touched by that one thread only, except while it applies messages: then up to
/// `processing_threads` lanes apply them, each working on one partition at a time, and the
/// processing thread waits for them.
public final class StreamProcessor: @unchecked Sendable {
    /// How the run ends.
    public enum Mode: Sendable {
        /// Until stopped: a member of the consumer group.
        case continuous
        /// Process what the input topics hold (every partition to its end), publish, and return.
        /// Reads every partition directly, outside the group.
        case untilCaughtUp
    }

    let configuration: ResonanceConfiguration
    private let mode: Mode
    let options: Options
    let clock: WallClock
    let logger: Logger
    /// Every user's standings by epoch and every partition's closes: what *Who* reads (created
    /// by ``run(stop:)`` once the partition count is known).
    public private(set) var standings: StandingsTable?
    /// The topics, once ``run(stop:)`` has checked and created them: what readers of the scores
    /// topic wait for.
    public var preparedTopics: PreparedTopics? { prepared.withLock { $0 } }
    private let prepared = Mutex<PreparedTopics?>(nil)

    // Processing-thread state.
    /// Per partition number: the partition while it is owned here.
    var partitions: [OwnedPartition?] = []
    /// Partitions that a rebalance callback assigned or revoked during the latest poll.
    var rebalanced: Set<Int> = []
    var ends = InputEnds()
    var backpressure = Backpressure(partitions: 0, highWatermark: 0)
    var lanes = PartitionLanes(count: 1)
    var output: OutputPublisher!
    var snapshots: PartitionSnapshots!
    var restorer: PartitionRestorer
    /// How many partitions were installed from each source.
    var restores: [PartitionRestorer.Source: Int] = [:]
    /// Partitions whose state misses events the input no longer retains.
    var incomplete: Set<Int32> = []
    var consumer: KafkaConsumer?
    var deadLetterWarning = DeadLetterWarning()
    private var reportedGaps = 0
    /// Reads the event time of a rejected message for a time-limited replay (one with a wrong key
    /// still has a time; one without a time is processed, i.e. dead-lettered, as usual).
    let limitDecoder: EventDecoder
    private let observer: (any PipelineObserver)?
    private let observationInterval: Int64
    private var lastObservation: Int64 = .min

    /// What the run has done so far (read on the processing thread, or after the run).
    public var counters: PipelineCounters { lanes.counters }
    /// Partitions paused for backpressure so far (for tests and tools).
    public var backpressurePauses: Int { backpressure.pauses }
    /// The processor for each input partition, for reads after a run (exports, tests).
    public var partitionStates: [PartitionProcessor] { partitions.compactMap { $0?.processor } }

    /// Creates a processor; `observer` (if any) is shown progress at most every
    /// `observationInterval`.
    public init(
        configuration: ResonanceConfiguration, mode: Mode, options: Options = Options(), clock: WallClock = .system,
        logger: Logger, observer: (any PipelineObserver)? = nil, observationInterval: Duration = .seconds(1)
    ) {
        self.configuration = configuration
        self.mode = mode
        self.options = options
        self.clock = clock
        self.logger = logger
        self.observer = observer
        self.observationInterval = observationInterval.inMilliseconds
        limitDecoder = EventDecoder(limits: configuration.limits)
        restorer = PartitionRestorer(
            configuration: configuration,
            store: SnapshotStore(directory: configuration.state.directory, keep: configuration.state.snapshotsKept),
            ignoreSnapshots: options.ignoreSnapshots, logger: logger)
    }

    /// Runs until `stop` is raised (or, in ``Mode/untilCaughtUp``, until the input is consumed),
    /// then publishes every pending change, flushes the producer and leaves the group.
    public func run(stop: StopSignal) throws {
        let kafka = configuration.kafka
        let brokers = kafka.brokerList
        let topics = try TopicSetup(configuration: configuration, brokers: brokers, logger: logger).prepare()
        partitions = Array(repeating: nil, count: topics.partitions)
        snapshots = PartitionSnapshots(
            store: restorer.store, clock: clock, partitionCount: topics.partitions,
            interval: configuration.state.snapshotInterval, logger: logger)
        backpressure = Backpressure(partitions: topics.partitions, highWatermark: options.maxQueuedPerPartition)
        // A replay limit is checked against state only the processing thread may touch: one lane.
        let threads = options.replayLimit != nil ? 1 : configuration.resolvedProcessingThreads
        lanes = PartitionLanes(count: min(threads, topics.partitions))
        let standings = StandingsTable(partitionCount: topics.partitions)
        self.standings = standings
        output = try OutputPublisher(configuration: configuration, brokers: brokers, standingsTopic: topics.standingsTopic, logger: logger)
        let shipper = try topics.stateTopic.map { topic throws(KafkaError) in
            try StateShipper(configuration: configuration, topic: topic, timeout: configuration.shutdownTimeout, logger: logger)
        }
        defer { shipper?.close() }
        if let shipper {
            snapshots.ship(with: shipper)
            restorer.stateTopic = (StateTopicReader(configuration: configuration, topic: shipper.topic, logger: logger), shipper)
        }
        let standingsFollower = try StandingsFollower(
            brokers: brokers, topic: topics.standingsTopic, properties: kafka.properties, table: standings, logger: logger)
        standingsFollower.start()
        defer { standingsFollower.stopAndWait() }
        prepared.withLock { $0 = topics }

        let consumer = try connectConsumer(brokers: brokers)
        logger.info("applying events on \(lanes.lanes.count) thread\(lanes.lanes.count == 1 ? "" : "s") (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
        let decoding = MessageDecodeStage(limits: configuration.limits)
        decoding.start()
        defer { decoding.stop() }
        var wallClock = clock.now()
        // A full batch polled last and not yet applied: the decoding thread works on it while this
        // thread applies the one before (see "Idle time in the Kafka drain" in docs/DESIGN.md).
        var inHand: (polled: KafkaMessageBatch, decoded: MessageDecodeStage.Batch?)?
        while !stop.isRaised {
            // With a batch in hand, only what has already arrived: its messages must not wait. A
            // partition waiting for another's close marker is released by the standings
            // follower: look again soon.
            rebalanced.removeAll(keepingCapacity: true)
            let batch = try consumer.poll(
                maxMessages: options.pollLimit,
                timeout: .milliseconds(inHand != nil ? 0 : queuedCount > 0 ? 5 : 100))
            wallClock = clock.now()
            for error in batch.errors {
                logger.warning("consumer: \(error.message)")
            }
            // An empty poll (every 5 ms while messages are held, every 100 ms when idle) has
            // nothing to decode.
            let decoded = batch.isEmpty ? nil : decoding.submit(batch)
            if let (polled, decodedInHand) = inHand {
                // Partitions that a rebalance inside the poll took away (and, with an eager
                // assignor, gave back) had their queues dropped: their messages in hand go too,
                // and the partitions' owners read them again from their snapshots' offsets.
                enqueue(polled, decodedInHand, skippingRebalanced: true)
                inHand = nil
            }
            if batch.count == options.pollLimit {
                // A full poll: input is backed up, so keep this batch for the next pass and let
                // the decoder get ahead. Its partitions have input again (not idle).
                for message in batch { owned(message.partition)?.noteArrival(message) }
                inHand = (batch, decoded)
            } else {
                // Caught up: apply it now, adding no latency.
                enqueue(batch, decoded)
            }
            drainQueues(wallClock: wallClock)
            closeIdlePartitions(wallClock: wallClock)
            drainQueues(wallClock: wallClock)
            applyBackpressure()
            standings.setLocalFloor(partitions.lazy.compactMap { $0?.closedThrough }.min() ?? .min)
            reportStandingsGaps(standings)
            if let sendError = lanes.sendError { throw sendError }
            for case let partition? in partitions {
                partition.processor.tick(wallClock: wallClock) { change in output.publish(change, through: lanes.main) }
            }
            deadLetterWarning.flushIfDue(wallClock: wallClock, logger: logger)
            try snapshots.takeDue(partitions, wallClock: wallClock) { () throws(KafkaError) in
                try output.flush(timeout: configuration.shutdownTimeout)
            }
            snapshots.collect(partitions)
            observe(wallClock: wallClock, force: false)
            if mode == .untilCaughtUp, inHand == nil, ends.allReached, queuedCount == 0 {
                // Every partition has been at its end and holds nothing: the input has ended for
                // all of them, also for one whose held messages the pass above applied after the
                // close, or that read messages past an end reported early (Tansu's can be). Close
                // them all, so that the final snapshots do not depend on how the last polls fell.
                closeIdlePartitions(wallClock: wallClock, inputEnded: true)
                break
            }
            if let failure = output.firstDeliveryFailure { throw failure }
        }
        // Stopped: the batch in hand was polled, so it is in flight too.
        if let (polled, decoded) = inHand {
            enqueue(polled, decoded)
            drainQueues(wallClock: wallClock)
        }
        try finish(consumer)
    }

    /// Joins the group (``Mode/continuous``) or assigns every input partition (a replay).
    private func connectConsumer(brokers: [String]) throws -> KafkaConsumer {
        let kafka = configuration.kafka
        var consumerConfiguration = ConsumerConfiguration(
            bootstrapServers: brokers, groupID: mode == .continuous ? kafka.group : nil)
        consumerConfiguration.client.additionalProperties = kafka.properties
        consumerConfiguration.client.clientID = "resonance"
        consumerConfiguration.enablePartitionEOF = true
        consumerConfiguration.sessionTimeout = kafka.sessionTimeout
        consumerConfiguration.heartbeatInterval = kafka.heartbeatInterval
        if mode == .continuous, !kafka.instanceID.isEmpty, kafka.properties["group.instance.id"] == nil {
            consumerConfiguration.client.additionalProperties["group.instance.id"] = kafka.instanceID
        }
        let handler = KafkaRebalanceHandler(
            assigned: { [self] partitions in assign(partitions) },
            revoked: { [self] partitions in revoke(partitions) })
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, rebalanceHandler: handler, logger: logger)
        self.consumer = consumer
        switch mode {
        case .continuous:
            snapshots.commitOffsets { [logger] offsets, synchronous in
                do throws(KafkaError) {
                    if synchronous { try consumer.commit(offsets) } else { try consumer.scheduleCommit(offsets) }
                } catch {
                    let partitions = Set(offsets.keys.map(\.partition)).sorted().map(String.init).joined(separator: ",")
                    logger.warning("partition \(partitions): committing the offsets its snapshot covers failed: \(error.message)")
                }
            }
            try consumer.subscribe(topics: kafka.inputTopics)
            logger.info("joined group \(kafka.group) on \(kafka.inputTopics.joined(separator: ",")); publishing to \(kafka.outputTopic)")
        case .untilCaughtUp:
            var all: [KafkaTopicPartition] = []
            for topic in kafka.inputTopics { all += try consumer.partitions(of: topic) }
            try consumer.assign(assign(all))
            logger.info("replaying \(all.count) partitions of \(kafka.inputTopics.joined(separator: ",")) to their end")
        }
        return consumer
    }

    /// Publishes what every partition holds back, flushes, writes the final snapshots and commits
    /// the offsets they cover (a restart resumes exactly here), then leaves.
    private func finish(_ consumer: KafkaConsumer) throws {
        for case let partition? in partitions {
            partition.processor.flushPending { change in output.publish(change, through: lanes.main) }
        }
        deadLetterWarning.flushIfDue(wallClock: .max, logger: logger)
        try output.flush(timeout: configuration.shutdownTimeout)
        if let failure = output.firstDeliveryFailure { throw failure }
        snapshots.writeNow(partitions.indices.filter { partitions[$0] != nil }, of: partitions)
        observe(wallClock: clock.now(), force: true)
        try consumer.close()
        try output.close(timeout: configuration.shutdownTimeout)
    }

    // MARK: Between passes

    /// Pauses the partitions with more than ``Options/maxQueuedPerPartition`` messages waiting,
    /// and resumes those paused for it that are down to half as many (``Backpressure``). A paused
    /// partition's messages stay in the broker; on resume librdkafka fetches again from after the
    /// last one polled.
    private func applyBackpressure() {
        guard let consumer else { return }
        for case let partition? in partitions {
            let index = Int(partition.processor.partition)
            let queued = partition.queuedCount
            let action = backpressure.observe(partition: index, queued: queued)
            guard action != .none else { continue }
            // A topic stopped at a replay limit stays paused.
            let topics = inputTopicPartitions(index).filter { !ends.isStopped($0) }
            // Confirmed only once librdkafka has done it: a failed resume is tried again next pass.
            do {
                if action == .pause {
                    if !topics.isEmpty { try consumer.pause(topics) }
                    logger.debug("paused partition \(index): \(queued) messages waiting, over \(options.maxQueuedPerPartition)")
                } else {
                    if !topics.isEmpty { try consumer.resume(topics) }
                }
                backpressure.confirm(action, partition: index)
            } catch {
                logger.warning("\(action == .pause ? "pausing" : "resuming") partition \(index) for backpressure: \(error.message)")
            }
        }
    }

    /// Closes the epochs of partitions that have no input waiting: for good at the end of a
    /// replay, else up to the day before the wall clock's (live, an idle partition must not hold
    /// the others back; the one place where live and replay can differ, docs/DESIGN.md).
    /// `inputEnded`: a replay is over, so every partition without held messages is idle, whether
    /// or not its end was the last thing it read.
    private func closeIdlePartitions(wallClock: Int64, inputEnded: Bool = false) {
        let inputTopicCount = configuration.kafka.inputTopics.count
        let through = mode == .untilCaughtUp ? StandingsTable.endOfInput : configuration.model.standingEpoch(of: wallClock) - 1
        for case let partition? in partitions {
            let idle = inputEnded ? partition.queuedCount == 0 : partition.isIdle(inputTopicCount: inputTopicCount)
            guard idle, through > partition.closedThrough else { continue }
            let number = partition.processor.partition
            partition.processor.closeStandings(through: through, standings: standings) { record in
                output.publishStandings(record, partition: number, through: lanes.main)
            }
        }
    }

    /// Partition `index` of every input topic (co-partitioned: they share partition numbers).
    func inputTopicPartitions(_ index: Int) -> [KafkaTopicPartition] {
        configuration.kafka.inputTopics.map { KafkaTopicPartition(topic: $0, partition: Int32(index)) }
    }

    private func reportStandingsGaps(_ standings: StandingsTable) {
        let gaps = standings.gaps
        guard gaps > reportedGaps else { return }
        reportedGaps = gaps
        logger.warning("standings: \(gaps) reads found only standings newer than asked for (a partition resumed from a snapshot older than the standings kept); those actors counted as unknown")
    }

    private func observe(wallClock: Int64, force: Bool) {
        // `lastObservation` starts at `.min` (never observed): subtracting it would overflow.
        guard let observer, force || lastObservation == .min || wallClock - lastObservation >= observationInterval else { return }
        lastObservation = wallClock
        var observed: [Int32: ObservedPartition] = [:]
        var nextOffsets: [KafkaTopicPartition: Int64] = [:]
        for case let partition? in partitions {
            let copy = partition.processor.observed()
            observed[copy.partition] = copy
            for (topic, next) in partition.nextOffsets {
                nextOffsets[KafkaTopicPartition(topic: topic, partition: copy.partition)] = next
            }
        }
        // Positions are local: no broker call.
        let positions = (try? consumer?.positions(for: ends.assigned)) ?? [:]
        observer.pipelineProgressed(PipelineProgress(
            counters: counters, partitions: observed, lag: ends.lag(positions: positions), nextOffsets: nextOffsets,
            caughtUp: ends.allReached, wallClock: wallClock,
            lastSnapshotWallClock: snapshots.lastWallClock, lastSnapshotDuration: snapshots.lastDuration,
            failedSnapshots: snapshots.failures, shippedBytes: snapshots.shippedBytes,
            restores: Dictionary(uniqueKeysWithValues: restores.map { ($0.key.rawValue, $0.value) }),
            incompletePartitions: incomplete,
            heldMessages: queuedCount,
            standingsGaps: standings?.gaps ?? 0,
            pausedPartitions: backpressure.pausedCount))
    }
}
