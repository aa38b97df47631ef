import Foundation
import ResonanceEngine
import ResonanceKafka
import ResonanceModel
import Testing
import ResonanceTestSupport

/// Crashes, restarts, partitions that move between instances, and replays, through the real
/// broker and the real executable.
@Suite(
    "Durable state against the local broker",
    .enabled(if: BrokerSupport.address != nil, "needs RESONANCE_TEST_BROKERS (scripts/test starts a broker and builds the executable)"),
    .serialized)
struct DurableStateIntegrationTests {
    static let start: Int64 = 1_600_000_000_000

    /// A stream where actors are also targets (so *Who* is read across partitions), with posts
    /// (most with topics), reactions to them, duplicates and undos in it.
    static func stream(events: Int, users: Int) -> [(key: [UInt8]?, value: [UInt8]?)] {
        var messages: [(key: [UInt8]?, value: [UInt8]?)] = []
        for index in 0..<events {
            let time = start + Int64(index) * 20_000
            let target = "u\((index * 7919) % users)"
            let actor = "u\((index * 104_729 + 13) % users)"
            let event: EncodedEvent
            switch index % 10 {
            case 0:
                let topics = [["chess"], ["go", "chess"], [], ["jazz"]][(index / 10) % 4]
                event = EventJSON.post(id: "p\(index)", network: "twitter", time: time, author: target, content: "c-\(target)", topics: topics)
            case 7: event = EventJSON.reaction(id: "r\(index - 1)", network: "twitter", time: time, action: "like", actor: actor, target: target)
            case 9: event = EventJSON.undo(id: "x\(index)", undoes: "r\(index - 1)", network: "twitter", time: time, action: "comment", actor: actor, target: target)
            default:
                event = EventJSON.reaction(
                    id: "r\(index)", network: index % 3 == 0 ? "mastodon" : "twitter", time: time,
                    action: ["like", "reshare", "comment", "mention"][index % 4], actor: actor, target: target,
                    content: index % 2 == 0 ? "c-\(target)" : nil)
            }
            messages.append((event.key, event.value))
        }
        return messages
    }

    struct Setup {
        var directory: String
        var input: String
        var config: String
        var brokers: String { BrokerSupport.address! }

        /// The model configuration the runs use (from the test's TOML file).
        var model: ModelConfiguration {
            var configuration = ResonanceConfiguration()
            try? configuration.apply(file: config)
            return configuration.model
        }
    }

    static func setUp(partitions: Int32, events: Int) throws -> Setup {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("resonance-durable-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let input = BrokerSupport.uniqueTopic("durable")
        try BrokerSupport.createTopic(input, partitions: partitions)
        try BrokerSupport.produce(stream(events: events, users: 2_000), topic: input)
        let config = "\(directory)/test.toml"
        try """
            [kafka]
            session_timeout_seconds = 6
            heartbeat_interval_seconds = 0.5
            [state]
            snapshot_interval_seconds = 0.3
            [publish]
            interval_seconds = 0.2
            [model]
            # Smaller anti-gaming memories keep snapshots small and quick in a debug build.
            dedupe_capacity = 65536
            undo_capacity = 16384
            pair_memory_capacity = 65536
            """.write(toFile: config, atomically: true, encoding: .utf8)
        return Setup(directory: directory, input: input, config: config)
    }

    static func run(_ setup: Setup, state: String, output: String, extra: [String], log: String) throws -> ResonanceProcess {
        try ResonanceProcess(
            ["run", "--brokers", setup.brokers, "--input-topic", setup.input, "--output-topic", output,
             "--state-dir", "\(setup.directory)/\(state)", "--config", setup.config, "--log-level", "info",
             "--http-port", "0"] + extra,
            logPath: "\(setup.directory)/\(log)")
    }

    /// The uninterrupted single-instance run everything is compared with.
    static func reference(_ setup: Setup) throws -> [String: Double] {
        let process = try run(setup, state: "reference", output: BrokerSupport.uniqueTopic("ref"), extra: ["--until-caught-up"], log: "reference.log")
        let status = try process.wait()
        #expect(status == 0, "reference run failed: \(process.log)")
        return try exportedScores(stateDirectory: "\(setup.directory)/reference", configuration: setup.model)
    }

    static func compare(_ actual: [String: Double], _ expected: [String: Double], tolerance: Double) {
        #expect(Set(actual.keys) == Set(expected.keys))
        var worst = 0.0
        for (user, score) in expected {
            worst = max(worst, abs((actual[user] ?? -100) - score))
        }
        #expect(worst <= tolerance, "largest difference \(worst) over \(expected.count) users")
    }

    /// Four partitions, actors read across them: *Who* reads standings as of the previous epoch,
    /// which every partition publishes in input order, so "equal" means equal scores.
    @Test("killed with SIGKILL at random moments and restarted, the scorer ends with the state of an uninterrupted run")
    func crashAndRestart() throws {
        let partitions: Int32 = 4
        let setup = try Self.setUp(partitions: partitions, events: 120_000)
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        let expected = try Self.reference(setup)
        let output = BrokerSupport.uniqueTopic("crash")
        let group = "crash-\(setup.input)"
        for round in 0..<4 {
            let process = try Self.run(setup, state: "crashing", output: output, extra: ["--group", group], log: "crash-\(round).log")
            // Long enough for a debug build to join the group, process and snapshot a little; random
            // so that the kill lands anywhere: mid-batch, mid-snapshot, mid-commit.
            Thread.sleep(forTimeInterval: Double.random(in: 8.0...12.0))
            process.kill(SIGKILL)
            _ = try process.wait()
        }
        let snapshotsBefore = SnapshotStore(directory: "\(setup.directory)/crashing").partitions().count
        #expect(snapshotsBefore > 0, "the killed runs wrote snapshots; first run's log: \((try? String(contentsOfFile: "\(setup.directory)/crash-0.log", encoding: .utf8)) ?? "")")
        let final = try Self.run(setup, state: "crashing", output: output, extra: ["--until-caught-up"], log: "final.log")
        #expect(try final.wait() == 0, "\(final.log)")
        #expect(final.log.contains("restored"), "the final run resumed from snapshots")
        let actual = try exportedScores(stateDirectory: "\(setup.directory)/crashing", configuration: setup.model)
        Self.compare(actual, expected, tolerance: 0)
    }

    @Test("two instances in one group, each with its own state directory: kill one, the survivor restores its partitions from the state topic and covers the whole input")
    func failoverToSurvivor() throws {
        let setup = try Self.setUp(partitions: 4, events: 120_000)
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        let expected = try Self.reference(setup)
        let output = BrokerSupport.uniqueTopic("failover")
        let group = "failover-\(setup.input)"
        let first = try Self.run(setup, state: "first", output: output, extra: ["--group", group], log: "first.log")
        let second = try Self.run(setup, state: "second", output: output, extra: ["--group", group], log: "second.log")
        // Kill the first instance once both own partitions and have been processing for a moment,
        // so that the kill lands mid-stream on a slow machine. On a fast one the first may already
        // have finished its partitions; the survivor must still take them over from their snapshots.
        let joined = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < joined, !(first.log.contains("assigned") && second.log.contains("assigned")) {
            Thread.sleep(forTimeInterval: 0.2)
        }
        Thread.sleep(forTimeInterval: 2)
        first.kill(SIGKILL)
        _ = try first.wait()

        // The survivor is handed the dead instance's partitions and restores them from the
        // snapshots the dead one shipped to the state topic (no disk is shared); wait until it has
        // done so and its snapshots cover the whole input, then stop it cleanly. (Coverage alone is not enough: the dead instance may have covered its
        // partitions before it died, and the survivor is handed them only after the session
        // timeout.)
        let ends = try Dictionary(grouping: BrokerSupport.readAll(setup.input), by: \.partition).mapValues { $0.map(\.offset).max()! + 1 }
        let store = SnapshotStore(directory: "\(setup.directory)/second")
        let deadline = ContinuousClock.now + .seconds(180)
        while ContinuousClock.now < deadline {
            let covered = ends.allSatisfy { partition, end in
                guard let newest = store.files(of: partition).first else { return false }
                return SnapshotStore.inspect(newest).header?.nextOffsets[setup.input] == end
            }
            let tookOver = second.log.split(separator: "\n").contains { line in
                line.contains("[ResonanceEngine] assigned") && (0..<4).allSatisfy { line.contains("[\($0)]") }
            }
            if covered, tookOver, second.log.contains("fetched from the state topic") { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        second.kill(SIGTERM)
        #expect(try second.wait() == 0, "\(second.log)")
        #expect(second.log.contains("fetched from the state topic"), "the survivor restored partitions from the state topic")
        // Every partition's newest snapshot covers the whole input, and no event was lost or
        // counted twice: the survivor holds every user of the single-instance run.
        for (partition, end) in ends {
            let newest = try #require(store.files(of: partition).first)
            #expect(SnapshotStore.inspect(newest).header?.nextOffsets[setup.input] == end)
        }
        // The survivor's final scores equal the single-instance run's: what each partition read
        // about actors of the others did not depend on which instance ran it or when.
        let actual = try exportedScores(stateDirectory: "\(setup.directory)/second", configuration: setup.model)
        Self.compare(actual, expected, tolerance: 0)
    }

    @Test("an instance with an empty state directory takes over from a killed one: it restores from the state topic, reads only the input after it, and ends bit for bit where one uninterrupted run ends")
    func takeOverThroughStateTopic() throws {
        let partitions: Int32 = 4
        let events = 120_000
        let setup = try Self.setUp(partitions: partitions, events: events)
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        let output = BrokerSupport.uniqueTopic("moved")
        let first = try Self.run(setup, state: "first", output: output, extra: ["--group", "moved-\(setup.input)"], log: "first.log")
        // Killed mid-stream, once it has shipped a few snapshots.
        let shipped = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < shipped, SnapshotStore(directory: "\(setup.directory)/first").partitions().count < Int(partitions) {
            Thread.sleep(forTimeInterval: 0.2)
        }
        Thread.sleep(forTimeInterval: 2)
        first.kill(SIGKILL)
        _ = try first.wait()
        // Another machine, with nothing on disk, carries on.
        let second = try Self.run(setup, state: "second", output: output, extra: ["--until-caught-up"], log: "second.log")
        #expect(try second.wait() == 0, "\(second.log)")
        let lines = second.log.split(separator: "\n")
        let restored = lines.filter { $0.contains("fetched from the state topic") }
        #expect(restored.count == Int(partitions), "every partition came from the state topic: \(second.log)")
        // It read exactly the input after the shipped snapshots' offsets.
        let resumedAt = restored.compactMap { line in line.split(separator: "@").last.flatMap { Int($0) } }
        #expect(resumedAt.count == Int(partitions))
        let read = events - resumedAt.reduce(0, +)
        #expect(second.log.contains("] \(read) messages, "), "expected \(read) messages read: \(second.log)")
        _ = try Self.reference(setup)
        try Self.expectSameNewestSnapshots(setup, "second", "reference", partitions: partitions, offsetsToo: true)
    }

    @Test("one processing thread or four, a replay ends in the same state, bit for bit, every partition")
    func processingThreadsLeaveTheStateAlone() throws {
        let partitions: Int32 = 4
        let setup = try Self.setUp(partitions: partitions, events: 40_000)
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        for threads in [1, 4] {
            let process = try Self.run(
                setup, state: "threads-\(threads)", output: BrokerSupport.uniqueTopic("threads"),
                extra: ["--until-caught-up", "--processing-threads", "\(threads)"], log: "threads-\(threads).log")
            #expect(try process.wait() == 0, "\(process.log)")
            #expect(process.log.contains("applying events on \(threads) thread"), "\(process.log)")
        }
        try Self.expectSameNewestSnapshots(setup, "threads-1", "threads-4", partitions: partitions, offsetsToo: true)
    }

    /// Compares the newest snapshot of every partition in two state directories of `setup`: the
    /// model states byte for byte, and with `offsetsToo` the input they cover.
    static func expectSameNewestSnapshots(_ setup: Setup, _ first: String, _ second: String, partitions: Int32, offsetsToo: Bool) throws {
        let one = SnapshotStore(directory: "\(setup.directory)/\(first)")
        let other = SnapshotStore(directory: "\(setup.directory)/\(second)")
        for partition in 0..<partitions {
            let a = try SnapshotStore.load(try #require(one.files(of: partition).first), configuration: setup.model)
            let b = try SnapshotStore.load(try #require(other.files(of: partition).first), configuration: setup.model)
            #expect(a.state.serializedBytes() == b.state.serializedBytes(), "partition \(partition): bit-identical state")
            var withTopics = 0
            a.state.forEachTrackedUser { if !a.state.topicScores(of: $0).isEmpty { withTopics += 1 } }
            #expect(withTopics > 0, "partition \(partition): the stream's topics are in the state")
            if offsetsToo { #expect(a.nextOffsets == b.nextOffsets && a.sequence == b.sequence, "partition \(partition)") }
        }
    }

    @Test("resonance replay rebuilds the live state bit for bit, every partition")
    func replayEqualsLive() throws {
        let partitions: Int32 = 4
        let setup = try Self.setUp(partitions: partitions, events: 40_000)
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        let expected = try Self.reference(setup)
        let replay = try ResonanceProcess(
            ["replay", "--brokers", setup.brokers, "--input-topic", setup.input, "--output-topic", BrokerSupport.uniqueTopic("replay"),
             "--state-dir", "\(setup.directory)/replayed", "--config", setup.config],
            logPath: "\(setup.directory)/replay.log")
        #expect(try replay.wait() == 0, "\(replay.log)")
        #expect(replay.log.contains("replay done"))
        let actual = try exportedScores(stateDirectory: "\(setup.directory)/replayed", configuration: setup.model)
        Self.compare(actual, expected, tolerance: 0)
        try Self.expectSameNewestSnapshots(setup, "replayed", "reference", partitions: partitions, offsetsToo: false)
    }
}
