import Foundation
import Logging
import ResonanceKafka

/// Follows the whole scores topic (every partition, from the beginning, outside any group) into a
/// ``GlobalScoreTable``, on a thread of its own, so every instance knows every user's latest
/// score for the HTTP API's answers (*Who* reads standings instead: ``StandingsTable``). It is the
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
    private let logger: Logger
    private let decoder = ScoreChangeDecoder()
    private var follower: TopicFollower?
    /// Changes read so far (touched only by the follower thread, read for metrics).
    public private(set) var changesRead = 0

    /// Also shown every change, whole, when set (the HTTP API's history and leaderboards).
    private let listener: (any ScoreChangeListener)?

    /// Connects; call ``start()`` to begin following.
    public init(
        brokers: [String], topic: String, properties: [String: String], table: GlobalScoreTable,
        listener: (any ScoreChangeListener)? = nil, logger: Logger
    ) throws(KafkaError) {
        self.table = table
        self.listener = listener
        self.logger = logger
        follower = try TopicFollower(
            brokers: brokers, topic: topic, properties: properties, clientID: "resonance-score-table",
            threadName: "resonance.score-table", logger: logger
        ) { [unowned self] message in read(message, topic: topic) }
    }

    /// Starts the follower thread.
    public func start() {
        follower?.start()
    }

    /// Follows on the calling thread until `stop` is raised, then disconnects.
    public func follow(until stop: StopSignal) {
        follower?.follow(until: stop)
    }

    /// Stops following and waits for the thread to end.
    public func stopAndWait() {
        follower?.stopAndWait()
    }

    private func read(_ message: KafkaMessage, topic: String) {
        guard let key = message.key else { return }
        guard let value = message.value else {
            let user = String(decoding: key, as: UTF8.self)
            table.remove(user: user)
            listener?.remove(user: user)
            changesRead += 1
            return
        }
        do {
            if let listener {
                let change = try decoder.decodePublished(value)
                table.record(GlobalScoreTable.Entry(
                    user: change.user, score: change.score, flagged: change.flagged, version: change.version, time: change.time))
                listener.record(change)
            } else {
                let fields = try decoder.decode(value)
                table.record(GlobalScoreTable.Entry(
                    user: String(decoding: fields.user, as: UTF8.self), score: fields.score,
                    flagged: fields.flagged, version: fields.version, time: fields.time))
            }
            changesRead += 1
        } catch {
            logger.warning("score table: skipping an unreadable change at \(topic)[\(message.partition)]@\(message.offset): \(error)")
        }
    }
}
