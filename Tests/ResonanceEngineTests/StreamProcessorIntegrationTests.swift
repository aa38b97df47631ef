import Foundation
import ResonanceEngine
import ResonanceKafka
import ResonanceModel
import Testing
import ResonanceTestSupport

@Suite("Kafka pipeline against the local broker", .enabled(if: BrokerSupport.address != nil, "needs RESONANCE_TEST_BROKERS (scripts/test starts a broker)"), .serialized)
struct StreamProcessorIntegrationTests {
    static let start: Int64 = 1_600_000_000_000

    @Test("every kind of bad input goes to the dead-letter topic with its bytes and reason; the good events around it are all applied")
    func badInputIsDeadLetteredAndGoodInputApplied() throws {
        let input = BrokerSupport.uniqueTopic("reactions")
        let output = BrokerSupport.uniqueTopic("scores")
        try BrokerSupport.createTopic(input, partitions: 3)

        let bob = Array("bob".utf8)
        let validBase = #"{"v":1,"id":"bad","kind":"reaction","network":"twitter","time":1600000000000,"action":"like","actor":"a","target":"bob""#
        let bad: [(reason: String, key: [UInt8]?, value: [UInt8]?)] = [
            ("malformed_json", bob, Array(#"{"v":1,"kind":"#.utf8)),
            ("malformed_json", bob, nil),
            ("unknown_kind", bob, Array(#"{"v":1,"id":"k","kind":"share","network":"t","time":1600000000000}"#.utf8)),
            ("unknown_action", bob, Array(validBase.replacingOccurrences(of: "like", with: "poke").utf8) + [UInt8(ascii: "}")]),
            ("missing_field", bob, Array(#"{"v":1,"id":"m","kind":"reaction","network":"t","time":1600000000000,"action":"like","target":"bob"}"#.utf8)),
            ("invalid_field", bob, Array(#"{"v":1,"id":"t","kind":"reaction","network":"t","time":"soon","action":"like","actor":"a","target":"bob"}"#.utf8)),
            ("key_mismatch", Array("carol".utf8), Array(validBase.utf8) + [UInt8(ascii: "}")]),
            ("key_mismatch", nil, Array(validBase.utf8) + [UInt8(ascii: "}")]),
            ("time_out_of_bounds", bob, Array(validBase.replacingOccurrences(of: "1600000000000", with: "9999999999999").utf8) + [UInt8(ascii: "}")]),
            ("time_out_of_bounds", bob, Array(validBase.replacingOccurrences(of: "1600000000000", with: "1000").utf8) + [UInt8(ascii: "}")]),
            ("oversized", bob, Array(validBase.utf8) + Array(#","pad":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 70_000) + Array(#""}"#.utf8)),
            ("invalid_utf8", bob, Array(#"{"v":1,"id":"u","kind":"reaction","network":"t","time":1600000000000,"action":"like","actor":"a"#.utf8) + [0xFF, 0xFE] + Array(#"","target":"bob"}"#.utf8)),
            ("unsupported_version", bob, Array(validBase.replacingOccurrences(of: #""v":1"#, with: #""v":2"#).utf8) + [UInt8(ascii: "}")]),
        ]
        var messages: [(key: [UInt8]?, value: [UInt8]?)] = []
        var good = 0
        let targets = (0..<12).map { "user\($0)" }
        for index in 0..<240 {
            let event = EventJSON.reaction(
                id: "r\(index)", network: "twitter", time: Self.start + Int64(index) * 1000, action: "reshare",
                actor: "fan\(index % 41)", target: targets[index % targets.count])
            messages.append((event.key, event.value))
            good += 1
            if index % 18 == 0, index / 18 < bad.count {
                let poison = bad[index / 18]
                messages.append((poison.key, poison.value))
            }
        }
        try BrokerSupport.produce(messages, topic: input)

        let processor = StreamProcessor(
            configuration: BrokerSupport.configuration(input: input, output: output), mode: .untilCaughtUp,
            logger: BrokerSupport.logger)
        try processor.run(stop: StopSignal())

        #expect(processor.counters.messages == good + bad.count)
        #expect(processor.counters.appliedTotal == good)
        #expect(processor.counters.rejectedTotal == bad.count)

        let deadLetters = try BrokerSupport.readAll("\(input).dead-letter")
        #expect(deadLetters.count == bad.count)
        var expected: [String: Int] = [:]
        for poison in bad { expected[poison.reason, default: 0] += 1 }
        var found: [String: Int] = [:]
        for record in deadLetters { found[record.headers["resonance.reason"] ?? "none", default: 0] += 1 }
        #expect(found == expected)
        for record in deadLetters {
            #expect(record.headers["resonance.source.topic"] == input)
            #expect(record.headers["resonance.source.partition"] == String(record.partition))
            #expect(Int64(record.headers["resonance.source.offset"] ?? "") != nil)
            #expect(!(record.headers["resonance.detail"] ?? "").isEmpty)
            let original = bad.filter { $0.reason == record.headers["resonance.reason"] }
            #expect(original.contains { $0.value == record.value && $0.key == record.key }, "original bytes kept")
        }

        // Every target got a score, and the scores topic's latest value per user is the state's.
        var states: [String: Double] = [:]
        for processor in processor.partitionStates {
            for target in targets {
                if let handle = processor.state.handle(of: target) { states[target] = processor.state.score(of: handle) }
            }
        }
        #expect(Set(states.keys) == Set(targets))
        var latest: [String: (version: Int64, score: Double)] = [:]
        for record in try BrokerSupport.readAll(output) {
            let change = try #require(try JSONSerialization.jsonObject(with: Data(record.value ?? [])) as? [String: Any])
            let user = try #require(change["user"] as? String)
            let version = try #require(change["version"] as? Int64)
            #expect(String(decoding: record.key ?? [], as: UTF8.self) == user)
            if version > (latest[user]?.version ?? .min) { latest[user] = (version, change["score"] as! Double) }
        }
        for target in targets {
            #expect(abs((latest[target]?.score ?? 0) - (states[target] ?? -1)) < 0.01, "\(target)")
        }
    }

    @Test("ids with JSON escapes, decoded on the decoding thread, arrive intact, also in messages held for other partitions")
    func escapedIDsSurviveDecodingAheadAndHolding() throws {
        let input = BrokerSupport.uniqueTopic("escaped")
        try BrokerSupport.createTopic(input, partitions: 3)
        let day: Int64 = 86_400_000
        // "zo\u00eb3" is zoë3 and "fan\"2" is fan"2 once unescaped: both go through the
        // batch's scratch space, which must not be reused while the event is still to be applied.
        let targets = (0..<9).map { "zoë\($0)" }
        let actors = (0..<5).map { "fan\"\($0)" }
        var messages: [(key: [UInt8]?, value: [UInt8]?)] = []
        for index in 0..<600 {
            let target = index % targets.count
            let actor = index % actors.count
            // Three days, so partitions wait at each day's close for the others.
            let time = Self.start + Int64(index) * (3 * day / 600)
            let value = #"{"v":1,"id":"r\u0031-\#(index)","kind":"reaction","network":"twitter","time":\#(time),"action":"reshare","actor":"fan\"\#(actor)","target":"zo\u00eb\#(target)"}"#
            messages.append((Array(targets[target].utf8), Array(value.utf8)))
        }
        try BrokerSupport.produce(messages, topic: input)

        let processor = StreamProcessor(
            configuration: BrokerSupport.configuration(input: input, output: BrokerSupport.uniqueTopic("escaped-scores")),
            mode: .untilCaughtUp, logger: BrokerSupport.logger)
        try processor.run(stop: StopSignal())

        #expect(processor.counters.appliedTotal == messages.count)
        #expect(processor.counters.rejectedTotal == 0)
        for target in targets {
            let owners = processor.partitionStates.filter { $0.state.handle(of: target) != nil }
            #expect(owners.count == 1, "\(target) is in exactly one partition")
            for owner in owners {
                for actor in actors { #expect(owner.state.handle(of: actor) != nil, "\(actor) reacted to \(target)") }
            }
        }
        // Every target got reactions from every actor (9 and 5 are coprime): a partition holds its
        // targets and all actors, and no other id, garbled or not.
        for owner in processor.partitionStates {
            let owned = targets.filter { owner.state.handle(of: $0) != nil }.count
            #expect(owner.state.internedUserCount == owned + (owned > 0 ? actors.count : 0), "partition \(owner.partition)")
        }
    }

    @Test("a replay limited by time stops each partition before its first later event, a rejected one included; by offset, before that offset")
    func replayLimits() throws {
        let input = BrokerSupport.uniqueTopic("limited")
        try BrokerSupport.createTopic(input, partitions: 3)
        let targets = (0..<10).map { "user\($0)" }
        var messages: [(key: [UInt8]?, value: [UInt8]?)] = []
        for index in 0..<200 {
            let event = EventJSON.reaction(
                id: "r\(index)", network: "twitter", time: Self.start + Int64(index) * 60_000, action: "like",
                actor: "fan\(index % 7)", target: targets[index % targets.count])
            messages.append((event.key, event.value))
            if index == 120 {
                // The first message past the limit in its partition is one the decoder rejects
                // (its key is not its target): its time still stops the partition, so it is
                // not dead-lettered.
                let wrongKey = EventJSON.reaction(
                    id: "late", network: "twitter", time: Self.start + Int64(index) * 60_000 + 30_000, action: "like",
                    actor: "fan1", target: "user3")
                messages.append((Array("user4".utf8), wrongKey.value))
            }
        }
        try BrokerSupport.produce(messages, topic: input)

        let limit = Self.start + 120 * 60_000
        var configuration = BrokerSupport.configuration(input: input, output: BrokerSupport.uniqueTopic("limited-scores"))
        var options = StreamProcessor.Options()
        options.ignoreSnapshots = true
        options.replayLimit = StreamProcessor.ReplayLimit(time: limit)
        let byTime = StreamProcessor(configuration: configuration, mode: .untilCaughtUp, options: options, logger: BrokerSupport.logger)
        try byTime.run(stop: StopSignal())
        #expect(byTime.counters.appliedTotal == 121, "events at minutes 0…120")
        #expect(byTime.counters.rejectedTotal == 0)

        let perPartition = Dictionary(grouping: try BrokerSupport.readAll(input), by: \.partition).mapValues(\.count)
        configuration.kafka.outputTopic = BrokerSupport.uniqueTopic("limited-scores")
        configuration.state.directory = BrokerSupport.temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(atPath: configuration.state.directory) }
        options.replayLimit = StreamProcessor.ReplayLimit(offset: 30)
        let byOffset = StreamProcessor(configuration: configuration, mode: .untilCaughtUp, options: options, logger: BrokerSupport.logger)
        try byOffset.run(stop: StopSignal())
        #expect(byOffset.counters.messages == perPartition.values.map { min($0, 30) }.reduce(0, +))
    }

    @Test("snapshots taken while the pipeline runs are written and restore, newest first, the newest being the final state")
    func periodicSnapshots() throws {
        let input = BrokerSupport.uniqueTopic("reactions")
        let output = BrokerSupport.uniqueTopic("scores")
        try BrokerSupport.createTopic(input, partitions: 3)
        var messages: [(key: [UInt8]?, value: [UInt8]?)] = []
        for index in 0..<25_000 {
            let event = EventJSON.reaction(
                id: "p\(index)", network: "twitter", time: Self.start + Int64(index) * 1000, action: "like",
                actor: "fan\(index % 997)", target: "user\(index % 311)")
            messages.append((event.key, event.value))
        }
        try BrokerSupport.produce(messages, topic: input)

        var configuration = BrokerSupport.configuration(input: input, output: output)
        // Due at every turn of the loop that applied something: a poll takes at most 10,000
        // messages, so a run over 25,000 takes several, each followed by snapshots that wait for
        // delivery on the writer's thread while processing goes on.
        configuration.state.snapshotInterval = .milliseconds(1)
        configuration.state.snapshotsKept = 100
        let observer = ProgressRecorder()
        let processor = StreamProcessor(
            configuration: configuration, mode: .untilCaughtUp, logger: BrokerSupport.logger, observer: observer)
        try processor.run(stop: StopSignal())
        #expect(processor.counters.appliedTotal == 25_000)
        #expect(observer.last?.failedSnapshots == 0)

        let store = SnapshotStore(directory: configuration.state.directory, keep: 100)
        var files = 0
        for partition in Int32(0)..<3 {
            let paths = store.files(of: partition)
            files += paths.count
            var sequences: [Int64] = []
            for path in paths {
                let snapshot = try SnapshotStore.load(path, configuration: configuration.model)
                sequences.append(snapshot.sequence)
            }
            #expect(sequences == sequences.sorted(by: >), "newest first")
            let final = try #require(processor.partitionStates.first { $0.partition == partition })
            #expect(sequences.first == final.sequence, "the newest is the final state")
        }
        #expect(files > 3, "snapshots besides the three final ones: \(files)")
    }

    @Test(
        "a partition with too many messages waiting is paused until it is down to half, and the state ends the same",
        .timeLimit(.minutes(2)))
    func backpressure() throws {
        let input = BrokerSupport.uniqueTopic("reactions")
        try BrokerSupport.createTopic(input, partitions: 4)
        // Skewed like a viral day: one user's partition has 30,000 reactions in the first epoch,
        // while the others' 45,000 span 30 days and must wait for that partition to close it.
        let hotPartition = Array("hot".utf8).withUnsafeBytes { KafkaPartitioner.partition(of: $0, count: 4) }
        let others = (0..<2_000).map { "user\($0)" }.filter { user in
            Array(user.utf8).withUnsafeBytes { KafkaPartitioner.partition(of: $0, count: 4) } != hotPartition
        }
        var messages: [(key: [UInt8]?, value: [UInt8]?)] = []
        for index in 0..<30_000 {
            let event = EventJSON.reaction(
                id: "h\(index)", network: "twitter", time: Self.start + Int64(index), action: "like",
                actor: others[index % others.count], target: "hot")
            messages.append((event.key, event.value))
        }
        for index in 0..<45_000 {
            let event = EventJSON.reaction(
                id: "o\(index)", network: "twitter", time: Self.start + Int64(index) * 57_600, action: "like",
                actor: others[(index * 7) % others.count], target: others[index % others.count])
            messages.append((event.key, event.value))
        }
        try BrokerSupport.produce(messages, topic: input)

        // Polls of 500, so that what a pause cannot stop (the polls made before it took effect)
        // is small beside what it stops.
        func drain(maxQueued: Int) throws -> (StreamProcessor, ProgressRecorder) {
            let configuration = BrokerSupport.configuration(input: input, output: BrokerSupport.uniqueTopic("scores"))
            let observer = ProgressRecorder()
            var options = StreamProcessor.Options()
            options.maxQueuedPerPartition = maxQueued
            options.pollLimit = 500
            let processor = StreamProcessor(
                configuration: configuration, mode: .untilCaughtUp, options: options, logger: BrokerSupport.logger,
                observer: observer, observationInterval: .zero)
            try processor.run(stop: StopSignal())
            return (processor, observer)
        }
        let (unbounded, unboundedObserver) = try drain(maxQueued: .max)
        let (bounded, observer) = try drain(maxQueued: 300)
        #expect(unbounded.backpressurePauses == 0 && unboundedObserver.mostPausedPartitions == 0)
        #expect(bounded.backpressurePauses > 0 && observer.mostPausedPartitions > 0)
        // Every partition is resumed by the end.
        #expect(observer.last?.pausedPartitions == 0)
        #expect(bounded.counters.appliedTotal == 75_000)
        // Unbounded, the partitions waiting for the viral one hold most of their messages at
        // once; bounded, each holds at most its limit and two polls.
        #expect(unboundedObserver.mostHeldMessages > 20_000, "\(unboundedObserver.mostHeldMessages)")
        #expect(observer.mostHeldMessages <= 4 * (300 + 2 * 500), "\(observer.mostHeldMessages)")
        for partition in Int32(0)..<4 {
            let a = try #require(unbounded.partitionStates.first { $0.partition == partition })
            let b = try #require(bounded.partitionStates.first { $0.partition == partition })
            #expect(a.state.serializedBytes() == b.state.serializedBytes(), "partition \(partition)")
        }
    }

    @Test("a missing input topic is one clear error, quickly")
    func missingInputTopic() throws {
        let processor = StreamProcessor(
            configuration: BrokerSupport.configuration(input: BrokerSupport.uniqueTopic("absent"), output: BrokerSupport.uniqueTopic("s")),
            mode: .untilCaughtUp, logger: BrokerSupport.logger)
        #expect {
            try processor.run(stop: StopSignal())
        } throws: { error in
            (error as? KafkaError)?.code == .unknownTopic && "\(error)".contains("does not exist")
        }
    }
}

@Suite("Kafka's partitioner", .enabled(if: BrokerSupport.address != nil, "needs RESONANCE_TEST_BROKERS"))
struct KafkaPartitionerTests {
    @Test("the engine's murmur2 puts every key in the partition librdkafka's murmur2_random producer chose")
    func matchesTheProducer() throws {
        let topic = BrokerSupport.uniqueTopic("partitioner")
        try BrokerSupport.createTopic(topic, partitions: 7)
        let keys = (0..<300).map { "user-\($0 * 7919)" } + ["", "a", "ab", "abc", "21", "björk", "a-little-bit-long-string"]
        try BrokerSupport.produce(keys.map { (Array($0.utf8), Array("x".utf8)) }, topic: topic)
        let records = try BrokerSupport.readAll(topic)
        #expect(records.count == keys.count)
        for record in records {
            let key = record.key ?? []
            let expected = key.withUnsafeBytes { KafkaPartitioner.partition(of: $0, count: 7) }
            #expect(record.partition == expected, "\(String(decoding: key, as: UTF8.self))")
        }
    }
}

@Suite("Snapshots belong to their input", .enabled(if: BrokerSupport.address != nil, "needs RESONANCE_TEST_BROKERS"))
struct SnapshotOwnershipTests {
    @Test("a state directory holding another topic's snapshots is not continued: the run rebuilds from its own input")
    func foreignSnapshotsAreNotUsed() throws {
        let state = BrokerSupport.temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(atPath: state) }
        func run(_ users: [String]) throws -> StreamProcessor {
            let input = BrokerSupport.uniqueTopic("owned")
            try BrokerSupport.createTopic(input, partitions: 1)
            let events = users.enumerated().map {
                EventJSON.reaction(id: "r\($0.offset)", network: "twitter", time: 1_600_000_000_000 + Int64($0.offset), action: "like", actor: "fan", target: $0.element)
            }
            try BrokerSupport.produce(events.map { ($0.key, $0.value) }, topic: input)
            var configuration = BrokerSupport.configuration(input: input, output: BrokerSupport.uniqueTopic("owned-scores"))
            configuration.state.directory = state
            let processor = StreamProcessor(configuration: configuration, mode: .untilCaughtUp, logger: BrokerSupport.logger)
            try processor.run(stop: StopSignal())
            return processor
        }
        _ = try run(["alice", "bob"])
        #expect(!SnapshotStore(directory: state).files(of: 0).isEmpty, "the first run left a snapshot")
        let second = try run(["carol"])
        let processor = try #require(second.partitionStates.first)
        #expect(processor.state.handle(of: "alice") == nil, "nothing of the other topic's state")
        #expect(processor.state.handle(of: "carol") != nil)
        #expect(second.counters.appliedTotal == 1)
    }
}

/// Keeps the last progress report.
final class ProgressRecorder: PipelineObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var latest: PipelineProgress?
    private var mostHeld = 0
    private var mostPaused = 0

    var last: PipelineProgress? { lock.withLock { latest } }
    /// The most messages seen waiting at once.
    var mostHeldMessages: Int { lock.withLock { mostHeld } }
    /// The most partitions seen paused at once.
    var mostPausedPartitions: Int { lock.withLock { mostPaused } }

    func pipelineProgressed(_ progress: PipelineProgress) {
        lock.withLock {
            latest = progress
            mostHeld = max(mostHeld, progress.heldMessages)
            mostPaused = max(mostPaused, progress.pausedPartitions)
        }
    }
}
