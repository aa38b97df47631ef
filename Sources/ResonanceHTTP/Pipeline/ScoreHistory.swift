import ResonanceEngine
import Synchronization

/// The recent published scores of users, for the dashboard's score-over-time chart, and every
/// user's latest score on each network and in each topic, for per-network and per-topic
/// leaderboards.
///
/// Memory is bounded where it could grow without limit: each user keeps at most
/// `pointsPerUser` points, and at most `usersWithHistory` users keep points at all (the user whose
/// history started longest ago is dropped first). The per-network and per-topic scores hold one
/// number per user and network or topic (at most eight topics per user), like the global score
/// table holds one entry per user.
public final class ScoreHistory: ScoreChangeListener {
    private struct Storage {
        var points: [String: [PublishedScore]] = [:]
        /// Users with points, in the order their history started (a queue with a moving head).
        var order: [String] = []
        var orderHead = 0
        /// Every user's latest version and the networks and topics it had scores in.
        var latest: [String: (version: Int64, networks: [String], topics: [String])] = [:]
        var networkScores: [String: [String: Double]] = [:]
        var topicScores: [String: [String: Double]] = [:]
    }

    /// The most points kept per user.
    public let pointsPerUser: Int
    /// The most users whose points are kept.
    public let usersWithHistory: Int
    private let storage = Mutex(Storage())

    /// A history with the given bounds.
    public init(pointsPerUser: Int = 120, usersWithHistory: Int = 50_000) {
        self.pointsPerUser = max(1, pointsPerUser)
        self.usersWithHistory = max(1, usersWithHistory)
    }

    /// Records a published change; one no newer than what is known is ignored (changes are read
    /// again after a restart and must not be counted twice).
    public func record(_ change: PublishedScore) {
        storage.withLock { storage in
            if let known = storage.latest[change.user] {
                if known.version >= change.version { return }
                for network in known.networks where change.networks[network] == nil {
                    storage.networkScores[network]?[change.user] = nil
                }
                for topic in known.topics where change.topics[topic] == nil {
                    storage.topicScores[topic]?[change.user] = nil
                }
            }
            storage.latest[change.user] = (change.version, Array(change.networks.keys), Array(change.topics.keys))
            for (network, score) in change.networks {
                storage.networkScores[network, default: [:]][change.user] = score
            }
            for (topic, score) in change.topics {
                storage.topicScores[topic, default: [:]][change.user] = score
            }
            if storage.points[change.user] == nil {
                storage.order.append(change.user)
                storage.points[change.user] = []
                evictIfNeeded(&storage)
            }
            storage.points[change.user]!.append(change)
            if storage.points[change.user]!.count > pointsPerUser {
                storage.points[change.user]!.removeFirst(storage.points[change.user]!.count - pointsPerUser)
            }
        }
    }

    /// Forgets a user (a tombstone: the user was erased).
    public func remove(user: String) {
        storage.withLock { storage in
            let known = storage.latest.removeValue(forKey: user)
            storage.points[user] = nil
            for network in known?.networks ?? [] { storage.networkScores[network]?[user] = nil }
            for topic in known?.topics ?? [] { storage.topicScores[topic]?[user] = nil }
        }
    }

    private func evictIfNeeded(_ storage: inout Storage) {
        while storage.points.count > usersWithHistory, storage.orderHead < storage.order.count {
            let oldest = storage.order[storage.orderHead]
            storage.orderHead += 1
            storage.points[oldest] = nil
        }
        // Compact the queue once its dead head outgrows the live part, so it stays bounded too.
        if storage.orderHead > usersWithHistory {
            storage.order = storage.order[storage.orderHead...].filter { storage.points[$0] != nil }
            storage.orderHead = 0
        }
    }

    /// A user's recent published scores, oldest first (empty when none is kept).
    public func points(of user: String) -> [PublishedScore] {
        storage.withLock { $0.points[user] ?? [] }
    }

    /// The latest published change of a user, if kept.
    public func latest(of user: String) -> PublishedScore? {
        storage.withLock { $0.points[user]?.last }
    }

    /// The networks some user has a published score on.
    public var networks: Set<String> {
        storage.withLock { storage in Set(storage.networkScores.filter { !$0.value.isEmpty }.keys) }
    }

    /// Every user's latest score on `network` (a copy).
    public func scores(on network: String) -> [String: Double] {
        storage.withLock { $0.networkScores[network] ?? [:] }
    }

    /// The topics some user has a published score in, with how many users have one.
    public var topics: [String: Int] {
        storage.withLock { storage in storage.topicScores.filter { !$0.value.isEmpty }.mapValues(\.count) }
    }

    /// Every user's latest score in `topic` (a copy).
    public func scores(inTopic topic: String) -> [String: Double] {
        storage.withLock { $0.topicScores[topic] ?? [:] }
    }

    /// How many users have points kept.
    public var usersKept: Int {
        storage.withLock { $0.points.count }
    }
}
