import Foundation
import Logging
import ResonanceKafka
import ResonanceModel

/// Reads one partition of the state topic and puts its shipped snapshots back together: the
/// complete ones (a manifest, every chunk, every checksum right), newest first. A damaged or
/// incomplete snapshot, or one written under another model or format, is reported and passed
/// over.
struct StateTopicReader: Sendable {
    /// A shipped snapshot put back together.
    struct Shipped: Sendable {
        var manifest: StateManifest
        /// The snapshot file's bytes.
        var bytes: [UInt8]
    }

    /// What the partition holds.
    struct Contents: Sendable {
        /// Complete, verified snapshots, newest first.
        var complete: [Shipped]
        /// Every snapshot with a record in the topic, oldest first, with its chunk count: what a
        /// shipper deletes once newer ones are complete.
        var present: [(snapshot: String, chunks: Int)]
    }

    let configuration: ResonanceConfiguration
    let topic: String
    let logger: Logger

    /// Reads partition `partition` to its end.
    func read(partition: Int32, timeout: Duration = .seconds(60)) throws(KafkaError) -> Contents {
        var consumerConfiguration = ConsumerConfiguration(bootstrapServers: configuration.kafka.brokerList, groupID: nil)
        consumerConfiguration.client.additionalProperties = configuration.kafka.properties
        consumerConfiguration.client.clientID = "resonance-state-restore"
        consumerConfiguration.enablePartitionEOF = true
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        defer { try? consumer.close() }
        let topicPartition = KafkaTopicPartition(topic: topic, partition: partition)
        try consumer.assign([topicPartition: .beginning])
        var chunks: [String: [Int: (bytes: [UInt8], checksum: String?)]] = [:]
        var manifests: [String: [UInt8]] = [:]
        var order: [String] = []
        let deadline = ContinuousClock.now + timeout
        var ended = false
        while !ended {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(.timedOut, "reading partition \(partition) of \(topic) took over \(timeout)")
            }
            let batch = try consumer.poll(maxMessages: 1_000, timeout: .milliseconds(100))
            for message in batch {
                guard let key = message.key, let (snapshot, chunk) = StateTopicWire.parse(key: key) else { continue }
                if !order.contains(snapshot) { order.append(snapshot) }
                switch (chunk, message.value) {
                case (let index?, let value?):
                    let checksum = message.header(named: StateTopicWire.checksumHeader).map { String(decoding: $0, as: UTF8.self) }
                    chunks[snapshot, default: [:]][index] = (Array(value), checksum)
                case (let index?, nil):
                    chunks[snapshot]?[index] = nil
                case (nil, let value?):
                    manifests[snapshot] = Array(value)
                case (nil, nil):
                    manifests[snapshot] = nil
                }
            }
            ended = batch.partitionEnds.contains { $0.topicPartition == topicPartition }
        }
        let present = order.filter { manifests[$0] != nil || !(chunks[$0]?.isEmpty ?? true) }
        var complete: [Shipped] = []
        for snapshot in present {
            guard let encoded = manifests[snapshot] else {
                logger.warning("partition \(partition): shipped snapshot \(snapshot) in \(topic) has no manifest (its shipping did not finish); passing over it")
                continue
            }
            switch assemble(snapshot, manifest: encoded, chunks: chunks[snapshot] ?? [:], partition: partition) {
            case .success(let shipped): complete.append(shipped)
            case .failure(let problem):
                logger.warning("partition \(partition): shipped snapshot \(snapshot) in \(topic) is not usable: \(problem.message); passing over it")
            }
        }
        complete.sort { $0.manifest.sequence > $1.manifest.sequence }
        return Contents(
            complete: complete,
            present: present.map { snapshot in
                (snapshot, max(chunks[snapshot].map { ($0.keys.max() ?? -1) + 1 } ?? 0, 0))
            })
    }

    /// Checks a manifest and puts its chunks together.
    private func assemble(
        _ snapshot: String, manifest encoded: [UInt8], chunks: [Int: (bytes: [UInt8], checksum: String?)], partition: Int32
    ) -> Result<Shipped, SnapshotError> {
        guard let manifest = try? JSONDecoder().decode(StateManifest.self, from: Data(encoded)) else {
            return .failure(SnapshotError("its manifest is not valid JSON of this format"))
        }
        guard manifest.format == StateManifest.currentFormat else {
            return .failure(SnapshotError("manifest format \(manifest.format); this build reads \(StateManifest.currentFormat)"))
        }
        let fingerprint = String(configuration.model.fingerprint, radix: 16)
        guard manifest.modelFingerprint == fingerprint else {
            return .failure(SnapshotError("written under model configuration \(manifest.modelFingerprint), this one is \(fingerprint)"))
        }
        guard manifest.snapshotFormat == SnapshotHeader.currentFormatVersion else {
            return .failure(SnapshotError("snapshot format \(manifest.snapshotFormat); this build reads \(SnapshotHeader.currentFormatVersion)"))
        }
        guard manifest.partition == partition, manifest.snapshot == snapshot else {
            return .failure(SnapshotError("its manifest describes \(manifest.snapshot) of partition \(manifest.partition)"))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(manifest.bytes)
        for (index, expected) in manifest.chunkChecksums.enumerated() {
            guard let chunk = chunks[index] else { return .failure(SnapshotError("chunk \(index) is missing")) }
            let actual = chunk.bytes.withUnsafeBytes(StateTopicWire.checksum)
            guard actual == expected, chunk.checksum == nil || chunk.checksum == expected else {
                return .failure(SnapshotError("chunk \(index) is damaged (checksum \(actual), expected \(expected))"))
            }
            bytes += chunk.bytes
        }
        guard bytes.count == manifest.bytes else {
            return .failure(SnapshotError("\(bytes.count) bytes put together, the manifest says \(manifest.bytes)"))
        }
        return .success(Shipped(manifest: manifest, bytes: bytes))
    }
}
