import Foundation
import Logging
import ResonanceKafka

/// Follows the whole scores topic (every partition, from the beginning, outside any group) into a
/// ``GlobalScoreTable``, on a thread of its own, so every instance knows every user's latest
/// score: the *Who* of actors whose state lives elsewhere, and the HTTP API's answers. It is the
/// instance's only reader of that topic: a ``ScoreChangeListener`` (the HTTP API's history) is
/// shown each change as it passes.
public protocol ScoreChangeListener: AnyObject, Sendable {
    /// A change, in topic order per partition (versions say which is newer).
    func record(_ change: PublishedScore)
    /// A tombstone: the user was erased.
    func remove(user: String)
}

/// The reader of the scores topic (see ``ScoreChangeListener``).
public final class ScoreTableFollower: @unchecked Sendable {
    /// The table being filled.
    public let table: GlobalScoreTable
    private let consumer: KafkaConsumer
    private let topic: String
    private let logger: Logger
    private let stop = StopSignal()
    private let finished = DispatchSemaphore(value: 0)
    private let decoder = ScoreChangeDecoder()
    private var thread: Thread?
    /// Changes read so far (touched only by the follower thread, read for metrics).
    public private(set) var changesRead = 0

    /// Also shown every change, whole, when set (the HTTP API's history and leaderboards).
    private let listener: (any ScoreChangeListener)?

    /// Connects; call ``start()`` to begin following.
    public init(
        brokers: [String], topic: String, properties: [String: String], table: GlobalScoreTable,
        listener: (any ScoreChangeListener)? = nil, logger: Logger
    ) throws(KafkaError) {
        var configuration = ConsumerConfiguration(bootstrapServers: brokers, groupID: nil)
        configuration.client.additionalProperties = properties
        configuration.client.clientID = "resonance-score-table"
        configuration.enablePartitionEOF = false
        consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let partitions = try consumer.partitions(of: topic)
        try consumer.assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, KafkaOffset.beginning) }))
        self.topic = topic
        self.table = table
        self.listener = listener
        self.logger = logger
    }

    /// Starts the follower thread.
    public func start() {
        let thread = Thread { [self] in
            follow()
            finished.signal()
        }
        thread.name = "resonance.score-table"
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
                batch = try consumer.poll(maxMessages: 10_000, timeout: .milliseconds(100))
            } catch {
                logger.error("score table: cannot read \(topic): \(error.message)")
                Thread.sleep(forTimeInterval: 1)
                continue
            }
            for message in batch {
                guard let key = message.key else { continue }
                guard let value = message.value else {
                    let user = String(decoding: key, as: UTF8.self)
                    table.remove(user: user)
                    listener?.remove(user: user)
                    changesRead += 1
                    continue
                }
                do {
                    if let listener {
                        let change = try decoder.decodePublished(value)
                        table.record(GlobalScoreTable.Entry(user: change.user, score: change.score, flagged: change.flagged, version: change.version))
                        listener.record(change)
                    } else {
                        let fields = try decoder.decode(value)
                        table.record(GlobalScoreTable.Entry(
                            user: String(decoding: fields.user, as: UTF8.self), score: fields.score,
                            flagged: fields.flagged, version: fields.version))
                    }
                    changesRead += 1
                } catch {
                    logger.warning("score table: skipping an unreadable change at \(topic)[\(message.partition)]@\(message.offset): \(error)")
                }
            }
        }
    }
}
