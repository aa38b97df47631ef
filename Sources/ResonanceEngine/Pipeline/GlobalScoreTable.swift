import ResonanceModel
import Synchronization

/// Every user's latest published score, built from the scores topic, readable from any thread.
///
/// The HTTP surface reads it for users whose partition lives on another instance (leaderboard,
/// score lookups). *Who* does not: it reads the standings topic, so that the state is a function
/// of the input alone (docs/DESIGN.md, "Deterministic Who"). Writes come from the one thread that
/// follows the scores topic; reads from the HTTP server. Entries are found by the ``StableHash`` of the user id's
/// bytes, so the processing thread's lookups neither build a `String` nor allocate. The table is
/// split into shards, each behind its own mutex, so readers rarely wait for the writer.
public final class GlobalScoreTable: Sendable {
    /// What the table knows about one user.
    public struct Entry: Sendable, Equatable {
        /// The user id.
        public var user: String
        /// The latest published score, 1–100.
        public var score: Double
        /// Whether the user is flagged spam, bot or inactive.
        public var flagged: Bool
        /// The version of the change this came from.
        public var version: Int64
        /// The event time of that change, epoch milliseconds: when the user was last active.
        public var time: Int64

        public init(user: String, score: Double, flagged: Bool, version: Int64, time: Int64) {
            self.user = user
            self.score = score
            self.flagged = flagged
            self.version = version
            self.time = time
        }
    }

    private final class Shard: Sendable {
        let entries = Mutex<[UInt64: Entry]>([:])
    }

    private static let shardCount = 64
    private let shards: [Shard]

    public init() {
        shards = (0..<Self.shardCount).map { _ in Shard() }
    }

    /// The key of a user id's bytes.
    @inline(__always)
    static func key(_ user: UnsafeRawBufferPointer) -> UInt64 {
        StableHash.mix(StableHash.fnv1a64(user))
    }

    static func key(_ user: String) -> UInt64 {
        var copy = user
        return copy.withUTF8 { key(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    private func shard(_ key: UInt64) -> Shard {
        shards[Int(key >> 58)]
    }

    /// The latest entry for the user whose id is `user` (UTF-8 bytes), if any was published.
    public func entry(for user: UnsafeRawBufferPointer) -> Entry? {
        let key = Self.key(user)
        return shard(key).entries.withLock { $0[key] }
    }

    /// The latest entry for `user`, if any score was published for them.
    public func entry(for user: String) -> Entry? {
        let key = Self.key(user)
        return shard(key).entries.withLock { $0[key] }
    }

    /// Records a published change unless a newer version is already known (changes can arrive
    /// again after a crash, and must never roll a score back).
    public func record(_ entry: Entry) {
        let key = Self.key(entry.user)
        shard(key).entries.withLock { table in
            if let known = table[key], known.version > entry.version { return }
            table[key] = entry
        }
    }

    /// Forgets `user` (a tombstone on the scores topic: the user was erased).
    public func remove(user: String) {
        let key = Self.key(user)
        _ = shard(key).entries.withLock { $0.removeValue(forKey: key) }
    }

    /// How many users the table holds.
    public var count: Int {
        shards.reduce(0) { total, shard in total + shard.entries.withLock { $0.count } }
    }

    /// All entries, for leaderboards and exports (a copy; the table keeps changing).
    public func allEntries() -> [Entry] {
        var result: [Entry] = []
        for shard in shards {
            shard.entries.withLock { result.append(contentsOf: $0.values) }
        }
        return result
    }
}
