import Foundation
import Logging
import ResonanceKafka
@testable import ResonanceEngine
import ResonanceModel
import ResonanceTestSupport
import Testing

/// Snapshots shipped to the state topic and read back, through the real broker.
@Suite("State topic: snapshots shipped through Kafka", .serialized)
struct StateTopicTests {
    static let start: Int64 = 1_600_000_000_000

    /// A state directory, a state topic of one partition, and a shipper and reader for it.
    struct World {
        let directory: String
        let configuration: ResonanceConfiguration
        let topic: String
        let store: SnapshotStore
        let shipper: StateShipper
        let reader: StateTopicReader
        let feeder: EventFeeder
        var applied = 0

        init() throws {
            directory = try BrokerSupport.makeTemporaryDirectory()
            configuration = BrokerSupport.configuration(input: "in", output: BrokerSupport.uniqueTopic("scores"))
            topic = StateTopicWire.topic(forScores: configuration.kafka.outputTopic, configuration: configuration.model)
            try BrokerSupport.createTopic(topic, partitions: 1)
            store = SnapshotStore(directory: directory, keep: 10)
            shipper = try StateShipper(configuration: configuration, topic: topic, timeout: .seconds(30), logger: BrokerSupport.logger)
            reader = StateTopicReader(configuration: configuration, topic: topic, logger: BrokerSupport.logger)
            feeder = EventFeeder(processor: try PartitionProcessor(partition: 0, configuration: configuration.model))
        }

        /// Applies `count` more reactions, writes a snapshot and ships it; returns its file.
        mutating func shipNext(_ count: Int = 200) throws -> (path: String, name: String) {
            for index in applied..<(applied + count) {
                feeder.apply(EventJSON.reaction(
                    id: "e\(index)", network: "twitter", time: StateTopicTests.start + Int64(index) * 30_000, action: "like",
                    actor: "fan\(index % 97)", target: "user\(index % 31)"), wallClock: 1_700_000_000_000)
            }
            applied += count
            let (path, header) = try store.write(feeder.processor.snapshot(nextOffsets: ["in": Int64(applied)]), createdAt: Int64(applied))
            _ = try shipper.ship(path: path, header: header)
            return (path, (path as NSString).lastPathComponent)
        }

        func send(key: String, value: [UInt8]?, headers: [KafkaHeader] = []) throws {
            let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: BrokerSupport.brokers))
            try producer.send(topic: topic, key: Array(key.utf8), value: value, headers: headers, partition: 0)
            try producer.close(timeout: .seconds(10))
        }
    }

    @Test("a shipped snapshot comes back byte for byte; the topic keeps the newest two, newest first")
    func roundTrip() throws {
        var world = try World()
        defer { try? FileManager.default.removeItem(atPath: world.directory) }
        let first = try world.shipNext()
        var contents = try world.reader.read(partition: 0)
        #expect(contents.complete.count == 1)
        let shipped = try #require(contents.complete.first)
        #expect(shipped.bytes == Array(try Data(contentsOf: URL(fileURLWithPath: first.path))))
        #expect(shipped.manifest.nextOffsets == ["in": 200] && shipped.manifest.sequence == 200)
        #expect(world.shipper.shippedBytes >= shipped.bytes.count)

        let second = try world.shipNext()
        let third = try world.shipNext()
        contents = try world.reader.read(partition: 0)
        #expect(contents.complete.map(\.manifest.snapshot) == [third.name, second.name])
        #expect(contents.present.map(\.snapshot) == [second.name, third.name], "the oldest was deleted with tombstones")
    }

    @Test("a damaged chunk, a missing manifest, another model's state and garbage are passed over for the previous complete snapshot")
    func damageFallsBack() throws {
        var world = try World()
        defer { try? FileManager.default.removeItem(atPath: world.directory) }
        let good = try world.shipNext()
        let damaged = try world.shipNext()
        // The newest copy of a chunk of the second snapshot is garbage (a later record, same key).
        try world.send(key: "snapshot/\(damaged.name)/chunk/0", value: Array(repeating: 7, count: 1000))
        // A snapshot whose shipping never finished: chunks, no manifest.
        try world.send(key: "snapshot/99999999999999999999-0000000000001.snapshot/chunk/0", value: [1, 2, 3])
        // A complete-looking snapshot written under another model configuration.
        let foreign = "99999999999999999998-0000000000001.snapshot"
        let chunk: [UInt8] = [4, 5, 6]
        try world.send(key: "snapshot/\(foreign)/chunk/0", value: chunk)
        let manifest = StateManifest(
            format: StateManifest.currentFormat, snapshot: foreign, partition: 0, sequence: 99, modelFingerprint: "1234",
            snapshotFormat: SnapshotHeader.currentFormatVersion, bytes: 3,
            chunkChecksums: [chunk.withUnsafeBytes(StateTopicWire.checksum)], nextOffsets: ["in": 1])
        try world.send(key: "snapshot/\(foreign)/manifest", value: Array(try JSONEncoder().encode(manifest)))
        // A manifest that is not JSON at all, and keys this format does not write.
        try world.send(key: "snapshot/x.snapshot/manifest", value: Array("{not json".utf8))
        try world.send(key: "something else", value: [0])

        let contents = try world.reader.read(partition: 0)
        #expect(contents.complete.map(\.manifest.snapshot) == [good.name])

        // A partition assigned to an instance with an empty state directory restores from it.
        let empty = try BrokerSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        var restorer = PartitionRestorer(
            configuration: world.configuration, store: SnapshotStore(directory: empty), ignoreSnapshots: false, logger: BrokerSupport.logger)
        restorer.stateTopic = (world.reader, world.shipper)
        guard case .restored(let processor, let snapshot, _, let source) = restorer.prepare(0) else {
            Issue.record("not restored")
            return
        }
        #expect(source == .stateTopic)
        #expect(snapshot.nextOffsets == ["in": 200] && processor.sequence == 200)
    }

    @Test("the state directory wins when its snapshot is as new; with neither, the partition is rebuilt")
    func sourcesInOrder() throws {
        var world = try World()
        defer { try? FileManager.default.removeItem(atPath: world.directory) }
        var restorer = PartitionRestorer(
            configuration: world.configuration, store: world.store, ignoreSnapshots: false, logger: BrokerSupport.logger)
        restorer.stateTopic = (world.reader, world.shipper)
        guard case .empty = restorer.prepare(0) else {
            Issue.record("nothing anywhere: the partition is rebuilt")
            return
        }
        _ = try world.shipNext()
        guard case .restored(_, _, _, let source) = restorer.prepare(0) else {
            Issue.record("not restored")
            return
        }
        #expect(source == .stateDirectory, "the same snapshot on disk is read from disk")
    }
}
