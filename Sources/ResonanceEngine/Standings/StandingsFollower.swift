import Foundation
import Logging
import ResonanceKafka
import ResonanceModel

/// Follows the whole standings topic (every partition, from the beginning, outside any group)
/// into a ``StandingsTable`` on a thread of its own: the standings and close markers of the
/// partitions other instances own, and of this instance's partitions' earlier lives (a partition
/// restored from a snapshot reads what it published before).
public final class StandingsFollower: @unchecked Sendable {
    private let table: StandingsTable
    private let consumer: KafkaConsumer
    private let topic: String
    private let logger: Logger
    private let stop = StopSignal()
    private let finished = DispatchSemaphore(value: 0)
    private var thread: Thread?

    /// Connects; call ``start()`` to begin following.
    public init(brokers: [String], topic: String, properties: [String: String], table: StandingsTable, logger: Logger) throws(KafkaError) {
        var configuration = ConsumerConfiguration(bootstrapServers: brokers, groupID: nil)
        // A close marker holds other partitions back until it is read: fetch without lingering.
        configuration.client.additionalProperties = ["fetch.wait.max.ms": "10"].merging(properties) { _, given in given }
        configuration.client.clientID = "resonance-standings"
        configuration.enablePartitionEOF = false
        consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let partitions = try consumer.partitions(of: topic)
        try consumer.assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, KafkaOffset.beginning) }))
        self.topic = topic
        self.table = table
        self.logger = logger
    }

    /// Starts the follower thread.
    public func start() {
        let thread = Thread { [self] in
            follow()
            finished.signal()
        }
        thread.name = "resonance.standings"
        self.thread = thread
        thread.start()
    }

    /// Stops following and waits for the thread to end.
    public func stopAndWait() {
        guard thread != nil else { return }
        stop.raise()
        finished.wait()
        thread = nil
        try? consumer.close()
    }

    private func follow() {
        while !stop.isRaised {
            let batch: KafkaMessageBatch
            do {
                batch = try consumer.poll(maxMessages: 10_000, timeout: .milliseconds(50))
            } catch {
                logger.error("standings: cannot read \(topic): \(error.message)")
                Thread.sleep(forTimeInterval: 1)
                continue
            }
            for message in batch {
                guard let key = message.key, read(message, key: key) else {
                    logger.warning("standings: skipping an unreadable record at \(topic)[\(message.partition)]@\(message.offset)")
                    continue
                }
            }
        }
    }

    private func read(_ message: KafkaMessage, key: UnsafeRawBufferPointer) -> Bool {
        if StandingsWire.isMarker(key) {
            guard let value = message.value, value.count == 16 else { return false }
            table.markClosed(
                partition: Int(message.partition), through: StandingsWire.readInt64(value, at: 0),
                durable: StandingsWire.readInt64(value, at: 8))
            return true
        }
        let userKey = StandingsTable.key(key)
        guard let value = message.value else {
            guard let epoch = message.header(named: StandingsWire.epochHeader), epoch.count == 8 else { return false }
            table.record(key: userKey, epoch: StandingsWire.readInt64(epoch, at: 0), packed: 0, previous: nil, isFirst: false)
            return true
        }
        guard value.count == 24 else { return false }
        let packed = StandingsWire.readFloat(value, at: 8)
        let previousPacked = StandingsWire.readFloat(value, at: 12)
        let previous = previousPacked == 0 ? nil : (epoch: StandingsWire.readInt64(value, at: 16), packed: previousPacked)
        table.record(
            key: userKey, epoch: StandingsWire.readInt64(value, at: 0), packed: packed, previous: previous,
            isFirst: previous == nil)
        return true
    }
}
