import Foundation
import Logging
import ResonanceKafka
import ResonanceModel
import Synchronization

/// `resonance run` on Kafka: consumes the input topics in a consumer group, applies events to
/// per-partition states, publishes score changes to the (compacted, co-partitioned) scores topic
/// and rejected input to the dead-letter topic.
///
/// Threading: ``run(stop:)`` blocks and must run on a dedicated thread (it makes blocking
/// librdkafka calls); the rebalance handler runs inside its polls, so every piece of mutable
/// state below is touched by that one thread only, except while it applies messages: then up to
/// `processing_threads` lanes apply them, each working on one partition at a time
/// (``drainQueues(wallClock:)``), and the processing thread waits for them.
public final class StreamProcessor: @unchecked Sendable {
    /// How the run ends.
    public enum Mode: Sendable {
        /// Until stopped: a member of the consumer group.
        case continuous
        /// Process what the input topics hold (every partition to its end), publish, and return.
        /// Reads every partition directly, outside the group.
        case untilCaughtUp
    }

    private let configuration: ResonanceConfiguration
    private let mode: Mode
    private let clock: WallClock
    private let logger: Logger
    /// Every user's latest published score, from the scores topic.
    public let scoreTable = GlobalScoreTable()
    /// Every user's standings by epoch and every partition's closes: what *Who* reads (created
    /// by ``run(stop:)`` once the partition count is known).
    public private(set) var standings: StandingsTable?
    /// Shown every change read back from the scores topic (set before ``run(stop:)``).
    public var scoreListener: (any ScoreChangeListener)?
    /// Whether ``run(stop:)`` builds ``scoreTable`` by reading the scores topic back. Only
    /// queries read the table: without the HTTP API (`http.port` 0, as in rebuilds) reading
    /// every change back would cost the broker and this process for nothing (in a replay of
    /// 1,000,000 events, 300,000 changes read and decoded again).
    public var followsScores = true

    // Processing-thread state.
    /// Per partition number: the partition's state and queue while it is owned here.
    private var partitions: [OwnedPartition?] = []
    private var partitionCount = 0
    private var awaitingEnd: Set<KafkaTopicPartition> = []

    /// A polled message kept until it is applied: its batch stays alive (and with it the
    /// message's bytes, which librdkafka owns, and its decoded event) until every message queued
    /// from it is done. No copy, no allocation.
    fileprivate struct QueuedMessage {
        let batch: MessageDecodeStage.Batch
        let index: Int
        var message: KafkaMessage { batch.messages[index] }
    }

    /// A partition owned here: its processor, the messages polled for it and not yet applied
    /// (applied in order: one that must wait for other partitions to close an epoch stops the
    /// ones behind it), and the offsets its state covers. A class, so that a lane works on it
    /// through a reference while the list of partitions is only read; a lane claims it first,
    /// so that one lane at a time touches it.
    fileprivate final class OwnedPartition: @unchecked Sendable {
        var processor: PartitionProcessor
        var queue: [QueuedMessage] = []
        var queueHead = 0
        /// The next offset to read in each input topic (what a snapshot covers).
        var nextOffsets: [String: Int64]
        private let claimed = Atomic<Bool>(false)

        init(processor: PartitionProcessor, nextOffsets: [String: Int64]) {
            self.processor = processor
            self.nextOffsets = nextOffsets
        }

        var queuedCount: Int { queue.count - queueHead }

        /// Takes the partition for the calling lane; false when another lane has it. Acquiring:
        /// what the last lane wrote to it is seen.
        func claim() -> Bool {
            claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        }

        /// Gives the partition back (releasing: the next lane to claim it sees these writes).
        func release() {
            claimed.store(false, ordering: .releasing)
        }

        /// Drops applied messages from the front of the queue (and the batches they kept).
        func compactQueue() {
            if queueHead == queue.count {
                queue.removeAll(keepingCapacity: true)
                queueHead = 0
            } else if queueHead > 4096, queueHead * 2 > queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
        }
    }

    /// What one thread applying messages counts and publishes through, kept apart from the other
    /// lanes' so that no two threads write the same memory; summed and read on the processing
    /// thread between passes. Lane 0 also serves the processing thread's own publishing (ticks,
    /// closes, shutdown).
    fileprivate final class Lane: @unchecked Sendable {
        var counters = PipelineCounters()
        var json = JSONWriter(reservingCapacity: 512)
        var sendError: KafkaError?
        /// Rejections to log (rate-limited) once the pass is over.
        var deadLetters: [(rejection: EventRejection, source: String)] = []
    }

    private var lanes: [Lane] = [Lane()]
    /// Counts each time a lane gave back a partition it moved on (applied a message, or closed
    /// an epoch): a lane stops only after a look at every partition during which this did not
    /// move (see ``drain(_:lane:wallClock:)``).
    private let passProgress = Atomic<Int>(0)
    /// Per partition number: whether a rebalance callback assigned or revoked it during the
    /// latest poll.
    private var rebalanced: [Bool] = []
    /// Per partition number: the input topics whose end it has reached, with the offset of that
    /// end, and no message at or after it since (all of them: the partition is idle, and closes
    /// epochs without events).
    private var topicsAtEnd: [[String: Int64]] = []
    private var standingsTopic = ""
    private var reportedGaps = 0
    private var deadLetterWarning = DeadLetterWarning()
    private var producer: KafkaProducer!
    /// What the run has done so far (read on the processing thread, or after the run).
    public var counters: PipelineCounters {
        lanes.reduce(into: PipelineCounters()) { total, lane in total.add(lane.counters) }
    }
    /// The first send that failed, on any lane.
    private var sendError: KafkaError? { lanes.lazy.compactMap(\.sendError).first }

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

    /// Ignore existing snapshots and rebuild every partition from its earliest offset.
    public var ignoreSnapshots = false
    /// Most messages a partition may have waiting in this process before it is paused (its
    /// fetching stops until fewer than half as many wait). During a replay a partition can run
    /// far ahead of one that holds the others back at an epoch (a viral day in one partition),
    /// and without a bound everything polled for it would wait here, decoded (about 600 bytes a
    /// message with librdkafka's copy), however long the topic. Kafka Streams bounds the same way
    /// (`buffered.records.per.partition`). 200,000 is above what the 1M-event Twitter15/16 drain
    /// queues, so replays of ordinary input never pause: at 50,000 the drain paused partitions,
    /// whose prefetched messages librdkafka then fetched again, and was up to 12% slower.
    ///
    /// A partition can go past it by what was polled before its pause took effect: the batch in
    /// hand and the next poll, so by up to 2 × ``pollLimit``.
    public var maxQueuedPerPartition = 200_000
    /// Partitions paused for that so far (for tests and tools).
    public var backpressurePauses: Int { backpressure.pauses }
    /// In ``Mode/untilCaughtUp``: stop each partition here instead of at its end.
    public var replayLimit: ReplayLimit?
    private var stoppedAtLimit: Set<KafkaTopicPartition> = []
    /// Which partitions are paused because too many of their messages wait (see
    /// ``maxQueuedPerPartition``).
    private var backpressure = Backpressure(partitions: 0, highWatermark: 0)
    /// Reads the event time of a rejected message for a time-limited replay (one with a wrong key
    /// still has a time; one without a time is processed, i.e. dead-lettered, as usual).
    private let limitDecoder: EventDecoder

    private let observer: (any PipelineObserver)?
    private let observationInterval: Int64
    private var lastObservation: Int64 = .min
    private var reachedEnd: Set<KafkaTopicPartition> = []
    private var consumer: KafkaConsumer?
    private let store: SnapshotStore
    private let writer: SnapshotWriter
    /// When each partition's next snapshot is due, and what its last one made durable.
    private var snapshots = SnapshotScheduler(partitions: 0, intervalMilliseconds: 0)
    private var lastSnapshotWallClock: Int64?
    private var lastSnapshotDuration: Duration?
    private var failedSnapshots = 0
    private var endOffsets: [KafkaTopicPartition: Int64] = [:]

    /// Creates a processor; `observer` (if any) is shown progress at most every
    /// `observationInterval`.
    public init(
        configuration: ResonanceConfiguration, mode: Mode, clock: WallClock = .system, logger: Logger,
        observer: (any PipelineObserver)? = nil, observationInterval: Duration = .seconds(1)
    ) {
        self.configuration = configuration
        self.mode = mode
        self.clock = clock
        self.logger = logger
        self.observer = observer
        self.observationInterval = observationInterval.components.seconds * 1000
            + observationInterval.components.attoseconds / 1_000_000_000_000_000
        self.limitDecoder = EventDecoder(limits: configuration.limits)
        self.store = SnapshotStore(directory: configuration.state.directory, keep: configuration.state.snapshotsKept)
        self.writer = SnapshotWriter(store: store, clock: clock)
    }

    private var brokers: [String] {
        configuration.kafka.brokers.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Runs until `stop` is raised (or, in ``Mode/untilCaughtUp``, until the input is consumed),
    /// then publishes every pending change, flushes the producer and leaves the group.
    public func run(stop: StopSignal) throws {
        let kafka = configuration.kafka
        let topics = try TopicSetup(configuration: configuration, brokers: brokers, logger: logger).prepare()
        partitionCount = topics.partitions
        standingsTopic = topics.standingsTopic
        partitions = Array(repeating: nil, count: partitionCount)
        let interval = configuration.state.snapshotInterval.components
        snapshots = SnapshotScheduler(
            partitions: partitionCount, intervalMilliseconds: interval.seconds * 1000 + interval.attoseconds / 1_000_000_000_000_000)
        rebalanced = Array(repeating: false, count: partitionCount)
        backpressure = Backpressure(partitions: partitionCount, highWatermark: maxQueuedPerPartition)
        topicsAtEnd = Array(repeating: [:], count: partitionCount)
        // A replay limit is checked against state only the processing thread may touch: one lane.
        let threads = replayLimit != nil ? 1 : configuration.resolvedProcessingThreads
        lanes = (0..<max(1, min(threads, partitionCount))).map { _ in Lane() }
        let standings = StandingsTable(partitionCount: partitionCount)
        self.standings = standings

        var producerConfiguration = ProducerConfiguration(bootstrapServers: brokers)
        // Score changes and standings are batched for up to 20 ms (librdkafka's default is 5):
        // fewer, larger produce requests cost the broker less CPU and cut the tail latency under
        // load for a few ms more at the median (`scripts/bench-latency` measures both). Kafka
        // Streams batches its output for 100 ms. `linger.ms` in `[kafka.properties]` overrides it.
        producerConfiguration.linger = StreamProcessor.outputLinger
        producerConfiguration.client.additionalProperties = kafka.properties
        producerConfiguration.client.clientID = "resonance"
        let failures = DeliveryFailures()
        producer = try KafkaProducer(configuration: producerConfiguration, deliveryFailureHandler: { failure in
            failures.record(failure)
        }, logger: logger)

        let follower = followsScores
            ? try ScoreTableFollower(
                brokers: brokers, topic: kafka.outputTopic, properties: kafka.properties, table: scoreTable,
                listener: scoreListener, logger: logger)
            : nil
        follower?.start()
        defer { follower?.stopAndWait() }
        let standingsFollower = try StandingsFollower(
            brokers: brokers, topic: standingsTopic, properties: kafka.properties, table: standings, logger: logger)
        standingsFollower.start()
        defer { standingsFollower.stopAndWait() }

        var consumerConfiguration = ConsumerConfiguration(
            bootstrapServers: brokers, groupID: mode == .continuous ? kafka.group : nil)
        consumerConfiguration.client.additionalProperties = kafka.properties
        consumerConfiguration.client.clientID = "resonance"
        consumerConfiguration.enablePartitionEOF = true
        consumerConfiguration.sessionTimeout = kafka.sessionTimeout
        consumerConfiguration.heartbeatInterval = kafka.heartbeatInterval
        let handler = KafkaRebalanceHandler(
            assigned: { [self] partitions in assign(partitions) },
            revoked: { [self] partitions in revoke(partitions) })
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, rebalanceHandler: handler, logger: logger)
        self.consumer = consumer
        switch mode {
        case .continuous:
            try consumer.subscribe(topics: kafka.inputTopics)
            logger.info("joined group \(kafka.group) on \(kafka.inputTopics.joined(separator: ",")); publishing to \(kafka.outputTopic)")
        case .untilCaughtUp:
            var all: [KafkaTopicPartition] = []
            for topic in kafka.inputTopics { all += try consumer.partitions(of: topic) }
            let offsets = assign(all)
            try consumer.assign(offsets)
            logger.info("replaying \(all.count) partitions of \(kafka.inputTopics.joined(separator: ",")) to their end")
        }

        logger.info("applying events on \(lanes.count) thread\(lanes.count == 1 ? "" : "s") (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
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
            for index in rebalanced.indices { rebalanced[index] = false }
            let batch = try consumer.poll(
                maxMessages: pollLimit,
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
                enqueue(polled, decodedInHand, skipping: rebalanced)
                inHand = nil
            }
            if batch.count == pollLimit {
                // A full poll: input is backed up, so keep this batch for the next pass and let
                // the decoder get ahead. Its partitions have input again (not idle).
                for message in batch { noteArrival(of: message) }
                inHand = (batch, decoded)
            } else {
                // Caught up: apply it now, adding no latency.
                enqueue(batch, decoded)
            }
            drainQueues(wallClock: wallClock)
            closeIdlePartitions(wallClock: wallClock)
            drainQueues(wallClock: wallClock)
            applyBackpressure()
            standings.setLocalFloor(ownedIndices.map(closedThrough).min() ?? .min)
            reportStandingsGaps(standings)
            if let sendError { throw sendError }
            for case let partition? in partitions {
                partition.processor.tick(wallClock: wallClock) { change in publish(change, through: lanes[0]) }
            }
            deadLetterWarning.flushIfDue(wallClock: wallClock, logger: logger)
            try takeDueSnapshots(wallClock: wallClock)
            collectSnapshotOutcomes()
            observe(wallClock: wallClock, force: false)
            if mode == .untilCaughtUp, inHand == nil, awaitingEnd.isEmpty, queuedCount == 0 {
                // Every partition has been at its end and holds nothing: the input has ended for
                // all of them, also for one whose held messages the pass above applied after the
                // close, or that read messages past an end reported early (Tansu's can be). Close
                // them all, so that the final snapshots do not depend on how the last polls fell.
                closeIdlePartitions(wallClock: wallClock, inputEnded: true)
                break
            }
            if let failure = failures.first { throw failure }
        }
        // Stopped: the batch in hand was polled, so it is in flight too.
        if let (polled, decoded) = inHand {
            enqueue(polled, decoded)
            drainQueues(wallClock: wallClock)
        }

        for case let partition? in partitions {
            partition.processor.flushPending { change in publish(change, through: lanes[0]) }
        }
        deadLetterWarning.flushIfDue(wallClock: .max, logger: logger)
        try producer.flush(timeout: configuration.shutdownTimeout)
        if let failure = failures.first { throw failure }
        // Final snapshots, then the offsets they cover: a restart resumes exactly here.
        writer.waitUntilIdle()
        collectSnapshotOutcomes()
        snapshotNow(ownedIndices)
        observe(wallClock: clock.now(), force: true)
        try consumer.close()
        try producer.close(timeout: configuration.shutdownTimeout)
    }

    /// The processor for each input partition, for reads after a run (exports, tests).
    public var partitionStates: [PartitionProcessor] { partitions.compactMap { $0?.processor } }

    // MARK: Messages

    private func observe(wallClock: Int64, force: Bool) {
        // `lastObservation` starts at `.min` (never observed): subtracting it would overflow.
        guard let observer, force || lastObservation == .min || wallClock - lastObservation >= observationInterval else { return }
        lastObservation = wallClock
        var observed: [Int32: ObservedPartition] = [:]
        for case let partition? in partitions {
            let copy = partition.processor.observed()
            observed[copy.partition] = copy
        }
        // Lag from the end offsets seen at partition EOF: exact while caught up, and a lower bound
        // once new input arrives (the next EOF corrects it). Positions are local: no broker call.
        var lag: [KafkaTopicPartition: Int64] = [:]
        let assigned = Array(awaitingEnd.union(reachedEnd))
        if let consumer, let positions = try? consumer.positions(for: assigned) {
            for (topicPartition, position) in positions {
                if let end = endOffsets[topicPartition] { lag[topicPartition] = max(0, end - position) }
            }
        }
        observer.pipelineProgressed(PipelineProgress(
            counters: counters, partitions: observed, lag: lag, nextOffsets: currentNextOffsets(),
            caughtUp: awaitingEnd.isEmpty, wallClock: wallClock,
            lastSnapshotWallClock: lastSnapshotWallClock, lastSnapshotDuration: lastSnapshotDuration,
            failedSnapshots: failedSnapshots,
            heldMessages: queuedCount,
            standingsGaps: standings?.gaps ?? 0,
            pausedPartitions: backpressure.pausedCount))
    }

    /// Queues a polled batch's messages on their partitions, in order, then records the partition
    /// ends it reported; partitions marked in `skipping` are left out. Nothing is applied yet
    /// (``drainQueues(wallClock:)``).
    private func enqueue(_ batch: KafkaMessageBatch, _ decoded: MessageDecodeStage.Batch?, skipping: [Bool] = []) {
        func skipped(_ index: Int) -> Bool { index < skipping.count && skipping[index] }
        if let decoded {
            // Lanes read the outcomes without waiting (only one thread may wait on a batch). A
            // batch is kept in hand while the one before is applied, so it is decoded by now
            // unless it is a small one, polled when caught up.
            decoded.waitUntilDecoded()
            for position in batch.indices {
                let message = batch[position]
                let index = Int(message.partition)
                if skipped(index) { continue }
                guard owns(index) else {
                    lanes[0].counters.messages += 1
                    logger.error("message from unassigned partition \(message.partition); skipped")
                    continue
                }
                noteArrival(of: message)
                partitions[index]!.queue.append(QueuedMessage(batch: decoded, index: position))
            }
        }
        for end in batch.partitionEnds where !skipped(Int(end.topicPartition.partition)) {
            awaitingEnd.remove(end.topicPartition)
            reachedEnd.insert(end.topicPartition)
            endOffsets[end.topicPartition] = end.offset
            let index = Int(end.topicPartition.partition)
            guard index < topicsAtEnd.count else { continue }
            topicsAtEnd[index][end.topicPartition.topic] = end.offset
            // The batch lists its ends apart from its messages, so a message polled after the end
            // (an end reported early, as Tansu's can be) was noted above, before the end: the
            // partition has input past it, and is not idle. Messages are queued in offset order
            // per topic, so the partition's newest message of the topic from this batch decides.
            if let decoded, let partition = partitions[index] {
                let oneTopic = configuration.kafka.inputTopics.count == 1
                var position = partition.queue.count - 1
                while position >= partition.queueHead, partition.queue[position].batch === decoded {
                    let message = partition.queue[position].message
                    if oneTopic || message.topic == end.topicPartition.topic {
                        if message.offset >= end.offset { topicsAtEnd[index][end.topicPartition.topic] = nil }
                        break
                    }
                    position -= 1
                }
            }
        }
    }

    /// A message past the end its partition reached means the partition has input again (not
    /// idle). Noted when a message is queued, and when a batch is kept in hand, so that no
    /// partition is closed as idle while its messages wait.
    private func noteArrival(of message: KafkaMessage) {
        let partition = Int(message.partition)
        guard partition < topicsAtEnd.count, !topicsAtEnd[partition].isEmpty else { return }
        if let end = topicsAtEnd[partition][message.topic], message.offset >= end {
            topicsAtEnd[partition][message.topic] = nil
        }
    }

    /// Applies queued messages, in order per partition, for as long as any partition can go on
    /// (one partition's close can release another), on as many threads as there are lanes: each
    /// takes whichever partition is free and has messages, applies them until it must wait or has
    /// none left, and moves on. Partitions are independent but for *Who*, which each reads only as
    /// of epochs every partition has closed, so the result does not depend on the threads.
    private func drainQueues(wallClock: Int64) {
        let ready = partitions.compactMap { $0 }.filter { $0.queuedCount > 0 }
        guard !ready.isEmpty else { return }
        let laneCount = min(lanes.count, ready.count)
        if laneCount == 1 {
            drain(ready, lane: lanes[0], wallClock: wallClock)
        } else {
            DispatchQueue.concurrentPerform(iterations: laneCount) { lane in
                drain(ready, lane: lanes[lane], wallClock: wallClock)
            }
        }
        for lane in lanes where !lane.deadLetters.isEmpty {
            for (rejection, source) in lane.deadLetters {
                deadLetterWarning.record(rejection, source: source, wallClock: wallClock, logger: logger)
            }
            lane.deadLetters.removeAll(keepingCapacity: true)
        }
    }

    /// One lane's share of ``drainQueues(wallClock:)``. It stops after a look at every partition
    /// in which it moved none on, found none held by another lane, and saw no lane move one on
    /// since the look began: then no partition can go on until more input or a close arrives. (A
    /// close counts as moving on: it can release other partitions.) A lane that stops while
    /// another still works costs only parallelism: the lanes still running take over its
    /// partitions, and anything left is taken up by the next pass. Waiting while any partition is
    /// held elsewhere, even by a lane that will find it must wait, keeps lanes busier than waiting
    /// only for lanes known to be applying, and drains faster (`scripts/bench-e2e`).
    private func drain(_ ready: [OwnedPartition], lane: Lane, wallClock: Int64) {
        var idleLooks = 0
        while true {
            let progressBefore = passProgress.load(ordering: .sequentiallyConsistent)
            var progressed = false
            var heldElsewhere = false
            for partition in ready {
                guard partition.claim() else {
                    heldElsewhere = true
                    continue
                }
                let closedBefore = partition.processor.state.standingsClosedThrough
                var applied = 0
                while partition.queueHead < partition.queue.count {
                    let entry = partition.queue[partition.queueHead]
                    guard process(entry.batch, entry.index, partition, lane: lane, wallClock: wallClock) else { break }
                    partition.queueHead += 1
                    applied += 1
                }
                if applied > 0 { partition.compactQueue() }
                let movedOn = applied > 0 || partition.processor.state.standingsClosedThrough != closedBefore
                partition.release()
                if movedOn {
                    progressed = true
                    passProgress.add(1, ordering: .sequentiallyConsistent)
                }
            }
            if progressed {
                idleLooks = 0
                continue
            }
            if !heldElsewhere, passProgress.load(ordering: .sequentiallyConsistent) == progressBefore { return }
            // Another lane has a partition and may release one here: look again soon, and leave
            // the core to the other threads meanwhile.
            idleLooks += 1
            if idleLooks < 64 { sched_yield() } else { usleep(50) }
        }
    }

    /// Applies message `position` of a batch to its (claimed) partition; false when the partition
    /// must wait for other partitions to close an epoch (nothing about the message has been
    /// applied: offer it again).
    private func process(
        _ batch: MessageDecodeStage.Batch, _ position: Int, _ partition: OwnedPartition, lane: Lane, wallClock: Int64
    ) -> Bool {
        let message = batch.messages[position]
        lane.counters.messages += 1
        // The message is done whatever happens below (applied or dead-lettered): a snapshot
        // taken after it covers it. With one input topic its name needs no lookup per message.
        let topic = configuration.kafka.inputTopics.count == 1 ? configuration.kafka.inputTopics[0] : message.topic
        if let replayLimit, reachedLimit(replayLimit, batch, position) {
            // Only with one lane, on the processing thread (see `run`): this touches its state.
            let topicPartition = KafkaTopicPartition(topic: topic, partition: message.partition)
            lane.counters.messages -= 1
            if stoppedAtLimit.insert(topicPartition).inserted {
                awaitingEnd.remove(topicPartition)
                try? consumer?.pause([topicPartition])
                logger.info("\(topicPartition): replay limit reached at offset \(message.offset)")
                topicsAtEnd[Int(message.partition)][topic] = .max
            }
            return true
        }
        let event: DecodedEvent
        switch batch.outcome(at: position) {
        case .event(let decoded):
            event = decoded
        case .rejected(let rejection):
            partition.nextOffsets[topic] = message.offset + 1
            deadLetter(message, rejection, through: lane)
            return true
        }
        let result = partition.processor.apply(
            event, standings: standings, wallClock: wallClock, emit: { change in publish(change, through: lane) },
            publish: { record in publishStandings(record, partition: message.partition, through: lane) })
        switch result {
        case .applied:
            lane.counters.countApplied(event.kind)
        case .rejected(let rejection):
            deadLetter(message, rejection, through: lane)
        case .waiting:
            lane.counters.messages -= 1
            return false
        }
        // The message is done (applied or dead-lettered): a snapshot taken after it covers it.
        partition.nextOffsets[topic] = message.offset + 1
        return true
    }

    /// Most messages one poll returns; a full poll means input is backed up. (Smaller in tests,
    /// to see what happens between polls.)
    public var pollLimit = 10_000

    /// How long the output producer waits to fill a batch.
    static let outputLinger: Duration = .milliseconds(20)

    /// Pauses the partitions with more than ``maxQueuedPerPartition`` messages waiting, and
    /// resumes those paused for it that are down to half as many (``Backpressure``). A paused
    /// partition's messages stay in the broker; on resume librdkafka fetches again from after the
    /// last one polled.
    private func applyBackpressure() {
        guard let consumer else { return }
        for index in partitions.indices where partitions[index] != nil {
            let queued = partitions[index]!.queuedCount
            let action = backpressure.observe(partition: index, queued: queued)
            guard action != .none else { continue }
            // A topic stopped at a replay limit stays paused.
            let topics = inputTopicPartitions(index).filter { !stoppedAtLimit.contains($0) }
            // Confirmed only once librdkafka has done it: a failed resume is tried again next pass.
            do {
                if action == .pause {
                    if !topics.isEmpty { try consumer.pause(topics) }
                    logger.debug("paused partition \(index): \(queued) messages waiting, over \(maxQueuedPerPartition)")
                } else {
                    if !topics.isEmpty { try consumer.resume(topics) }
                }
                backpressure.confirm(action, partition: index)
            } catch {
                logger.warning("\(action == .pause ? "pausing" : "resuming") partition \(index) for backpressure: \(error.message)")
            }
        }
    }

    /// Messages polled and not yet applied, all partitions.
    private var queuedCount: Int { partitions.reduce(0) { $0 + ($1?.queuedCount ?? 0) } }

    /// Closes the epochs of partitions that have no input waiting: for good at the end of a
    /// replay, else up to the day before the wall clock's (live, an idle partition must not hold
    /// the others back; the one place where live and replay can differ, docs/DESIGN.md).
    /// `inputEnded`: a replay is over, so every partition without held messages is idle, whether
    /// or not its end was the last thing it read.
    private func closeIdlePartitions(wallClock: Int64, inputEnded: Bool = false) {
        let inputTopicCount = configuration.kafka.inputTopics.count
        for index in partitions.indices where partitions[index] != nil {
            guard inputEnded || topicsAtEnd[index].count == inputTopicCount, partitions[index]!.queuedCount == 0 else { continue }
            let through = mode == .untilCaughtUp
                ? StandingsTable.endOfInput : configuration.model.standingEpoch(of: wallClock) - 1
            guard through > closedThrough(index) else { continue }
            partitions[index]!.processor.closeStandings(through: through, standings: standings) { record in
                publishStandings(record, partition: Int32(index), through: lanes[0])
            }
        }
    }

    private func publishStandings(_ record: PartitionProcessor.StandingsRecord, partition: Int32, through lane: Lane) {
        let result: Result<Void, KafkaError>
        switch record {
        case .standing(let user, let update):
            if update.standing != nil {
                result = StandingsWire.withStandingValue(update) { bytes in
                    Result { () throws(KafkaError) in
                        try producer.send(topic: standingsTopic, key: user, value: bytes, partition: partition)
                    }
                }
            } else {
                let headers = [KafkaHeader(name: StandingsWire.epochHeader, value: StandingsWire.epochValue(update.epoch))]
                result = Result { () throws(KafkaError) in
                    try producer.send(topic: standingsTopic, key: user, value: nil, headers: headers, partition: partition)
                }
            }
        case .closed(let through, let durable):
            let value = StandingsWire.markerValue(closedThrough: through, durable: durable)
            result = Result { () throws(KafkaError) in
                try producer.send(topic: standingsTopic, key: StandingsWire.markerKey, value: value, partition: partition)
            }
        }
        if case .failure(let error) = result, lane.sendError == nil { lane.sendError = error }
    }

    private func reportStandingsGaps(_ standings: StandingsTable) {
        let gaps = standings.gaps
        guard gaps > reportedGaps else { return }
        reportedGaps = gaps
        logger.warning("standings: \(gaps) reads found only standings newer than asked for (a partition resumed from a snapshot older than the standings kept); those actors counted as unknown")
    }

    private func currentNextOffsets() -> [KafkaTopicPartition: Int64] {
        var result: [KafkaTopicPartition: Int64] = [:]
        for (index, partition) in partitions.enumerated() {
            for (topic, next) in partition?.nextOffsets ?? [:] {
                result[KafkaTopicPartition(topic: topic, partition: Int32(index))] = next
            }
        }
        return result
    }

    private func reachedLimit(_ limit: ReplayLimit, _ batch: MessageDecodeStage.Batch, _ position: Int) -> Bool {
        let message = batch.messages[position]
        if stoppedAtLimit.contains(where: { $0.partition == message.partition }) { return true }
        if let offset = limit.offset, message.offset >= offset { return true }
        guard let time = limit.time else { return false }
        // The decoding thread's event when there is one, else the rejected message read again
        // for its time alone.
        let eventTime: Int64?
        if case .event(let event) = batch.outcome(at: position) {
            eventTime = event.time
        } else if let value = message.value {
            eventTime = try? limitDecoder.decode(value, key: nil).time
        } else {
            eventTime = nil
        }
        if let eventTime, eventTime > time { return true }
        return false
    }

    private func publish(_ change: ScoreChange, through lane: Lane) {
        lane.counters.changesPublished += 1
        let result: Result<Void, KafkaError>
        if change.encodedValue(into: &lane.json) {
            let value = lane.json.bytes
            result = Result { () throws(KafkaError) in
                try producer.send(topic: configuration.kafka.outputTopic, key: change.user, value: value, partition: change.partition)
            }
        } else {
            lane.counters.tombstonesPublished += 1
            result = Result { () throws(KafkaError) in
                try producer.send(topic: configuration.kafka.outputTopic, key: change.user, value: nil, partition: change.partition)
            }
        }
        if case .failure(let error) = result, lane.sendError == nil { lane.sendError = error }
    }

    private func deadLetter(_ message: KafkaMessage, _ rejection: EventRejection, through lane: Lane) {
        lane.counters.rejected[rejection.reason, default: 0] += 1
        let topic = message.topic
        var headers = message.headers
        headers.append(KafkaHeader(name: "resonance.source.topic", value: Array(topic.utf8)))
        headers.append(KafkaHeader(name: "resonance.source.partition", value: Array(String(message.partition).utf8)))
        headers.append(KafkaHeader(name: "resonance.source.offset", value: Array(String(message.offset).utf8)))
        headers.append(KafkaHeader(name: "resonance.reason", value: Array(rejection.reason.rawValue.utf8)))
        headers.append(KafkaHeader(name: "resonance.detail", value: Array(rejection.detail.utf8)))
        let result = Result { () throws(KafkaError) in
            try producer.send(
                topic: configuration.kafka.resolvedDeadLetterTopic, key: message.key, value: message.value,
                headers: headers, partition: message.partition)
        }
        if case .failure(let error) = result, lane.sendError == nil { lane.sendError = error }
        lane.deadLetters.append((rejection, "\(topic)[\(message.partition)]@\(message.offset)"))
    }

    // MARK: Partitions

    /// Called when partitions are assigned: creates their states and says where to start.
    /// Without durable state every partition is rebuilt from its beginning.
    private func assign(_ partitions: [KafkaTopicPartition]) -> [KafkaTopicPartition: KafkaOffset] {
        markRebalanced(partitions)
        var offsets: [KafkaTopicPartition: KafkaOffset] = [:]
        let new = Set(partitions.map { Int($0.partition) }).filter { $0 < self.partitions.count && !owns($0) }.sorted()
        for (index, prepared) in zip(new, prepare(new)) {
            install(prepared, at: index)
        }
        for topicPartition in partitions {
            let index = Int(topicPartition.partition)
            guard index < self.partitions.count else {
                logger.error("assigned \(topicPartition), beyond the \(self.partitions.count) partitions seen at start; restart to pick it up")
                continue
            }
            if let next = self.partitions[index]?.nextOffsets[topicPartition.topic] {
                offsets[topicPartition] = .exact(next)
            } else {
                offsets[topicPartition] = .beginning
            }
            awaitingEnd.insert(topicPartition)
            reachedEnd.remove(topicPartition)
            topicsAtEnd[index][topicPartition.topic] = nil
        }
        logger.info("assigned \(partitions.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }.map(\.description).joined(separator: " "))")
        return offsets
    }

    /// Notes that a rebalance callback assigned or revoked `partitions` during the current poll:
    /// the batch in hand drops their messages, which their owners read again from their snapshots
    /// (see ``rebalanced``).
    private func markRebalanced(_ partitions: [KafkaTopicPartition]) {
        for topicPartition in partitions where Int(topicPartition.partition) < rebalanced.count {
            rebalanced[Int(topicPartition.partition)] = true
        }
    }

    /// Called before partitions go to another instance: publishes what they hold back and drops
    /// their state (the new owner rebuilds it).
    private func revoke(_ partitions: [KafkaTopicPartition]) {
        markRebalanced(partitions)
        var leaving: [Int] = []
        for topicPartition in partitions {
            let index = Int(topicPartition.partition)
            awaitingEnd.remove(topicPartition)
            reachedEnd.remove(topicPartition)
            endOffsets[topicPartition] = nil
            if owns(index), !leaving.contains(index) { leaving.append(index) }
        }
        // Publish what is held back and write snapshots before the partitions go: their next
        // owners resume from those snapshots, not from the beginning.
        for index in leaving {
            self.partitions[index]!.processor.flushPending { change in publish(change, through: lanes[0]) }
        }
        if !leaving.isEmpty {
            do {
                try producer.flush(timeout: configuration.shutdownTimeout)
            } catch {
                logger.error("flushing before handing over partitions \(leaving.map(String.init).joined(separator: ",")): \(error.message)")
            }
            writer.waitUntilIdle()
            collectSnapshotOutcomes()
            snapshotNow(leaving)
        }
        for index in leaving {
            if backpressure.release(partition: index) == .resume {
                // librdkafka keeps its pause across an assignment: the next owner here must start
                // it unpaused.
                do {
                    try consumer?.resume(inputTopicPartitions(index))
                } catch {
                    logger.warning("resuming partition \(index) as it is revoked: \(error.message)")
                }
            }
            self.partitions[index] = nil
            snapshots.forget(index)
            topicsAtEnd[index].removeAll()
        }
        logger.info("revoked \(partitions.map(\.description).joined(separator: " "))")
    }

    // MARK: Snapshots

    /// A partition's state as made by ``prepare(_:)``, before it is installed.
    private enum PreparedPartition {
        case restored(PartitionProcessor, PartitionSnapshot, path: String)
        case empty(PartitionProcessor)
        case failed(ModelError)
    }

    /// Makes the states of partitions `indices`, each from its newest usable snapshot or empty,
    /// on up to as many threads as there are cores: loading a snapshot takes a large part of a
    /// second, and an instance is often given several partitions at once. Each state is made on
    /// its own, so the result does not depend on the threads.
    private func prepare(_ indices: [Int]) -> [PreparedPartition] {
        indices.concurrentMap(prepare)
    }

    /// Makes partition `index`'s state from its newest usable snapshot, or empty. Touches nothing
    /// shared but the partition's own snapshot files (it may run beside another partition's).
    private func prepare(_ index: Int) -> PreparedPartition {
        let partition = Int32(index)
        // A crash mid-write leaves a temporary file behind; this instance owns the partition now.
        store.removeTemporaryFiles(of: partition)
        let restored = ignoreSnapshots ? nil : store.loadNewest(partition: partition, configuration: configuration.model) { problem in
            logger.warning("partition \(partition): not using a snapshot: \(problem)")
        }
        if let (snapshot, path) = restored {
            // A snapshot is a fold of particular input topics: one that read a topic this run
            // does not is another pipeline's state, and must not be continued here.
            let foreign = Set(snapshot.nextOffsets.keys).subtracting(configuration.kafka.inputTopics)
            if foreign.isEmpty {
                return .restored(
                    PartitionProcessor(restoring: snapshot, publishing: configuration.publishing, timePolicy: configuration.eventTime),
                    snapshot, path: path)
            }
            logger.warning("partition \(partition): not using \(path): it covers input topics \(foreign.sorted().joined(separator: ",")) that this run does not read; rebuilding from the earliest offset")
        } else if !ignoreSnapshots, !store.files(of: partition).isEmpty {
            logger.warning("partition \(partition): no usable snapshot; rebuilding it from the earliest offset")
        }
        do {
            return .empty(try PartitionProcessor(
                partition: partition, configuration: configuration.model,
                publishing: configuration.publishing, timePolicy: configuration.eventTime))
        } catch {
            return .failed(error)
        }
    }

    /// Makes a prepared state partition `index`'s.
    private func install(_ prepared: PreparedPartition, at index: Int) {
        switch prepared {
        case .restored(let processor, let snapshot, let path):
            partitions[index] = OwnedPartition(processor: processor, nextOffsets: snapshot.nextOffsets)
            snapshots.installed(index, wallClock: clock.now(), sequence: snapshot.sequence, closedThrough: snapshot.state.standingsClosedThrough)
            logger.info("partition \(index): restored \(snapshot.state.trackedUserCount) users from \(path), resuming at \(snapshot.nextOffsets.sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value)" }.joined(separator: " "))")
        case .empty(let processor):
            partitions[index] = OwnedPartition(processor: processor, nextOffsets: [:])
            snapshots.installed(index, wallClock: clock.now(), sequence: 0, closedThrough: closedThrough(index))
        case .failed(let error):
            logger.critical("cannot create state for partition \(index): \(error)")
        }
    }

    /// Whether partition `index` is as its last snapshot took it: no event applied and no epoch
    /// closed since (a close at the end of the input comes after the last event, and a snapshot
    /// skipped for an unchanged sequence would leave it out of the final state).
    private func unchangedSinceSnapshot(_ index: Int) -> Bool {
        let partition = partitions[index]!
        return snapshots.isUnchanged(index, sequence: partition.processor.sequence, closedThrough: closedThrough(index))
    }

    /// Whether partition `index` is owned here now.
    private func owns(_ index: Int) -> Bool {
        index >= 0 && index < partitions.count && partitions[index] != nil
    }

    /// The partition numbers owned here now, in order.
    private var ownedIndices: [Int] { partitions.indices.filter { partitions[$0] != nil } }

    /// Partition `index` of every input topic (co-partitioned: they share partition numbers).
    private func inputTopicPartitions(_ index: Int) -> [KafkaTopicPartition] {
        configuration.kafka.inputTopics.map { KafkaTopicPartition(topic: $0, partition: Int32(index)) }
    }

    /// The last epoch owned partition `index` has closed. (Read through the partition's stored
    /// property: a copy of the processor, `let p = partition.processor`, would go field by field
    /// through its value witness, as it is address-only.)
    private func closedThrough(_ index: Int) -> Int64 {
        partitions[index]!.processor.state.standingsClosedThrough
    }

    /// Starts background snapshots of the partitions whose interval has passed. Everything
    /// published before a snapshot is flushed to Kafka first, so that the offsets it covers are
    /// never committed ahead of the score changes and dead letters they caused.
    private func takeDueSnapshots(wallClock: Int64) throws {
        let due = partitions.indices.filter { index in
            guard let partition = partitions[index] else { return false }
            return snapshots.isDue(
                index, wallClock: wallClock, sequence: partition.processor.sequence, closedThrough: closedThrough(index),
                writing: writer.isWriting(Int32(index)))
        }
        guard !due.isEmpty else { return }
        try producer.flush(timeout: configuration.shutdownTimeout)
        for index in due {
            let partition = partitions[index]!
            writer.submit(partition.processor.snapshot(nextOffsets: partition.nextOffsets))
            snapshots.taken(index, wallClock: wallClock, sequence: partition.processor.sequence, closedThrough: closedThrough(index))
        }
    }

    /// Writes the snapshots of partitions `indices` now, together (shutdown, revocation), and
    /// commits the offsets each covers; skips partitions not owned or unchanged since their last.
    private func snapshotNow(_ indices: [Int]) {
        let due = indices.filter { index in
            owns(index) && (!unchangedSinceSnapshot(index) || writer.isWriting(Int32(index)))
        }
        let taken = due.map { index in partitions[index]!.processor.snapshot(nextOffsets: partitions[index]!.nextOffsets) }
        for (index, outcome) in zip(due, writer.writeNow(taken)) {
            let partition = partitions[index]!
            snapshots.taken(index, wallClock: outcome.finishedAt, sequence: partition.processor.sequence, closedThrough: closedThrough(index))
            handle(outcome, synchronousCommit: true)
        }
    }

    /// Handles snapshots the writer finished: commits the offsets they cover (in a group), or
    /// reports the failure while processing goes on and the last good snapshot stays.
    private func collectSnapshotOutcomes() {
        for outcome in writer.finished() {
            handle(outcome, synchronousCommit: false)
        }
    }

    private func handle(_ outcome: SnapshotWriter.Outcome, synchronousCommit: Bool) {
        switch outcome.result {
        case .success(let path):
            let index = Int(outcome.partition)
            if owns(index) {
                let partition = partitions[index]!
                partition.processor.durableClosedThrough = max(partition.processor.durableClosedThrough, snapshots.durableClosedThrough(index))
            }
            lastSnapshotWallClock = outcome.finishedAt
            lastSnapshotDuration = outcome.duration
            logger.debug("partition \(outcome.partition): snapshot \(path) in \(outcome.duration)")
            guard mode == .continuous, let consumer, !outcome.nextOffsets.isEmpty else { return }
            var offsets: [KafkaTopicPartition: Int64] = [:]
            for (topic, next) in outcome.nextOffsets {
                offsets[KafkaTopicPartition(topic: topic, partition: outcome.partition)] = next
            }
            do {
                if synchronousCommit { try consumer.commit(offsets) } else { try consumer.scheduleCommit(offsets) }
            } catch {
                logger.warning("partition \(outcome.partition): committing offsets after its snapshot failed: \(error.message)")
            }
        case .failure(let error):
            failedSnapshots += 1
            // Not durable: the next due check (and shutdown) must try this partition again.
            let index = Int(outcome.partition)
            snapshots.failed(index, at: outcome.finishedAt)
            logger.error("partition \(outcome.partition): snapshot failed, keeping the last good one and going on: \(error.message)")
        }
    }

}

/// Delivery failures reported on the producer's poll thread, kept for the processing thread.
final class DeliveryFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var firstFailure: KafkaError?

    func record(_ failure: KafkaDeliveryFailure) {
        lock.lock()
        defer { lock.unlock() }
        if firstFailure == nil { firstFailure = failure.error }
    }

    var first: KafkaError? {
        lock.lock()
        defer { lock.unlock() }
        return firstFailure
    }
}
