import Foundation
import Logging
import ResonanceKafka
import Synchronization

/// Ships each written snapshot to the state topic (``StateTopicWire``): its chunks, then, once
/// every chunk is delivered, its manifest, and waits for that too. Only then is the snapshot
/// durable beyond this machine, and only then may the offsets it covers be committed. Runs on the
/// snapshot writer's threads; several partitions may ship at once.
final class StateShipper: @unchecked Sendable {
    /// How many complete snapshots of a partition the topic keeps: the newest, and one to fall
    /// back to should the newest prove damaged.
    static let kept = 2

    let topic: String
    private let producer: KafkaProducer
    private let timeout: Duration
    private let failures = DeliveryFailures()
    /// Per partition, the snapshots shipped (or found in the topic), oldest first, with their
    /// chunk counts: what to delete once newer ones are complete.
    private let shipped = Mutex<[Int32: [(snapshot: String, chunks: Int)]]>([:])
    /// Bytes shipped so far (chunks and manifests).
    var shippedBytes: Int { bytes.load(ordering: .relaxed) }
    private let bytes = Atomic<Int>(0)

    /// Connects a producer for `topic`; each ship waits at most `timeout` for delivery.
    init(configuration: ResonanceConfiguration, topic: String, timeout: Duration, logger: Logger) throws(KafkaError) {
        var producerConfiguration = ProducerConfiguration(bootstrapServers: configuration.kafka.brokerList)
        producerConfiguration.client.clientID = "resonance-state"
        // A snapshot is about half zstd can squeeze out (scores, hashes and counts in sparse
        // pages): shipping half the bytes makes a drain's final snapshots cost half the time.
        producerConfiguration.compression = .zstd
        producerConfiguration.client.additionalProperties["compression.level"] = "1"
        producerConfiguration.linger = .zero
        producerConfiguration.client.additionalProperties.merge(configuration.kafka.properties) { _, configured in configured }
        let failures = failures
        producer = try KafkaProducer(configuration: producerConfiguration, deliveryFailureHandler: { failure in
            failures.record(failure)
        }, logger: logger)
        self.topic = topic
        self.timeout = timeout
    }

    /// Records snapshots already in the topic for `partition` (found when restoring it), oldest
    /// first, so that shipping newer ones deletes them in turn.
    func found(_ snapshots: [(snapshot: String, chunks: Int)], partition: Int32) {
        shipped.withLock { shipped in
            let known = Set((shipped[partition] ?? []).map(\.snapshot))
            shipped[partition, default: []].insert(contentsOf: snapshots.filter { !known.contains($0.snapshot) }, at: 0)
        }
    }

    /// Ships the snapshot file at `path` (with `header`, as written) and waits until the broker
    /// has all of it; returns the bytes shipped.
    func ship(path: String, header: SnapshotHeader) throws(SnapshotError) -> Int {
        let name = (path as NSString).lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw SnapshotError("cannot read \(path) to ship it: \(error.localizedDescription)")
        }
        let failuresBefore = failures.count
        func fail(_ message: String) -> SnapshotError {
            SnapshotError("partition \(header.partition): shipping \(name) to \(topic) failed: \(message)")
        }
        func delivered() -> Bool { failures.count == failuresBefore }
        // The manifest goes after the chunks, to the same partition: a reader finds it only
        // after them, and checks every one against it, so a chunk lost on the way makes the
        // snapshot incomplete, never wrong. Done once the broker has all of it.
        let checksums: [String]
        let encoded: [UInt8]
        do {
            checksums = try sendChunks(data, name: name, partition: header.partition)
            let manifest = StateManifest(
                format: StateManifest.currentFormat, snapshot: name, partition: header.partition, sequence: header.sequence,
                modelFingerprint: String(header.modelFingerprint, radix: 16), snapshotFormat: header.formatVersion,
                bytes: data.count, chunkChecksums: checksums, nextOffsets: header.nextOffsets)
            encoded = Array(try JSONEncoder().encode(manifest))
            try producer.send(topic: topic, key: StateTopicWire.manifestKey(snapshot: name), value: encoded, partition: header.partition)
            try producer.flush(timeout: timeout)
        } catch {
            throw fail("\(error)")
        }
        guard delivered() else { throw fail(failures.first?.message ?? "a record was not delivered") }
        bytes.add(data.count + encoded.count, ordering: .relaxed)
        deleteStale(partition: header.partition, shipped: (name, checksums.count))
        return data.count
    }

    /// Sends `data` as chunks of snapshot `name`; returns their checksums.
    private func sendChunks(_ data: Data, name: String, partition: Int32) throws -> [String] {
        var checksums: [String] = []
        try data.withUnsafeBytes { (file: UnsafeRawBufferPointer) throws in
            var start = 0, index = 0
            repeat {
                let chunk = UnsafeRawBufferPointer(rebasing: file[start..<min(file.count, start + StateTopicWire.chunkBytes)])
                let checksum = StateTopicWire.checksum(chunk)
                checksums.append(checksum)
                let key = StateTopicWire.chunkKey(snapshot: name, index: index)
                try key.withUnsafeBytes { key in
                    try producer.send(
                        topic: topic, key: key, value: chunk,
                        headers: [KafkaHeader(name: StateTopicWire.checksumHeader, value: Array(checksum.utf8))],
                        partition: partition)
                }
                start += chunk.count
                index += 1
            } while start < file.count
        }
        return checksums
    }

    /// Tombstones every snapshot of `partition` but the newest ``kept``. Not waited for: a
    /// tombstone that is lost leaves an old snapshot in the topic, which costs room, not truth.
    private func deleteStale(partition: Int32, shipped latest: (snapshot: String, chunks: Int)) {
        let stale: [(snapshot: String, chunks: Int)] = shipped.withLock { shipped in
            var list = (shipped[partition] ?? []).filter { $0.snapshot != latest.snapshot }
            list.append(latest)
            let stale = Array(list.dropLast(Self.kept))
            shipped[partition] = Array(list.suffix(Self.kept))
            return stale
        }
        for old in stale {
            try? producer.send(topic: topic, key: StateTopicWire.manifestKey(snapshot: old.snapshot), value: nil, partition: partition)
            for index in 0..<old.chunks {
                try? producer.send(topic: topic, key: StateTopicWire.chunkKey(snapshot: old.snapshot, index: index), value: nil, partition: partition)
            }
        }
    }

    func close() {
        try? producer.close(timeout: timeout)
    }
}
