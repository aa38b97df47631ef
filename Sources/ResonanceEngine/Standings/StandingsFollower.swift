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
    private var follower: TopicFollower?

    /// Connects; call ``start()`` to begin following.
    public init(brokers: [String], topic: String, properties: [String: String], table: StandingsTable, logger: Logger) throws(KafkaError) {
        self.table = table
        // A close marker holds other partitions back until it is read: fetch without lingering.
        follower = try TopicFollower(
            brokers: brokers, topic: topic, properties: ["fetch.wait.max.ms": "10"].merging(properties) { _, given in given },
            clientID: "resonance-standings", threadName: "resonance.standings", pollTimeout: .milliseconds(50), logger: logger
        ) { [unowned self] message in
            guard let key = message.key, read(message, key: key) else {
                logger.warning("standings: skipping an unreadable record at \(topic)[\(message.partition)]@\(message.offset)")
                return
            }
        }
    }

    /// Starts the follower thread.
    public func start() {
        follower?.start()
    }

    /// Stops following and waits for the thread to end.
    public func stopAndWait() {
        follower?.stopAndWait()
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
