import ResonanceModel
import Synchronization

/// Every user's standings by epoch, and how far every partition has closed its epochs: what
/// *Who* reads (docs/DESIGN.md, "Deterministic Who").
///
/// A partition applying events of epoch k + 1 reads standings "as of k", and only once every
/// partition has closed epoch k (``allClosed(through:)``): then every standing valid at the end
/// of k has been recorded, whichever instance published it. A partition may close epoch k + 1
/// while another still reads as of k, so a user can have several versions; the table keeps, per
/// user, every version that a reader may still ask for: all versions newer than the *floor*
/// (the oldest epoch any partition may yet read as of, counting partitions that could be
/// restored from their last durable snapshot) and the newest version at or below it.
///
/// Written by the standings follower thread and by the lanes that apply events (their partitions'
/// closes, so that they need not wait for the round trip through Kafka); read by those lanes.
/// Every access takes a shard's or the progress lock.
public final class StandingsTable: Sendable {
    struct Version: Sendable {
        var epoch: Int64
        /// ``ActorStanding/packed``; 0: no standing (not yet known, or erased).
        var packed: Float
    }

    private final class Shard: Sendable {
        let versions = Mutex<[UInt64: [Version]]>([:])
    }

    private struct Progress {
        /// Per partition: the epoch it has closed through, as published.
        var closed: [Int64]
        /// Per partition: the epoch its newest durable snapshot had closed through.
        var durable: [Int64]
        /// The lowest epoch this instance's own partitions read as of (`.min`: one is being
        /// restored or rebuilt, or none is owned yet).
        var localFloor: Int64 = .min
    }

    /// Epoch number that stands for "closed for good" (a partition whose input has ended).
    public static let endOfInput = Int64(Int32.max)

    private static let shardCount = 64
    private let shards: [Shard]
    private let progress: Mutex<Progress>
    private let floor = Atomic<Int64>(.min)
    private let gapCount = Atomic<Int>(0)

    /// A table for an input of `partitionCount` partitions, none closed yet.
    public init(partitionCount: Int) {
        shards = (0..<Self.shardCount).map { _ in Shard() }
        progress = Mutex(Progress(
            closed: Array(repeating: .min, count: partitionCount), durable: Array(repeating: .min, count: partitionCount)))
    }

    /// A user's key: the user directory's hash of the id, which the decoder has already computed
    /// for every event's actor (``DecodedEvent/actorHash``).
    @inline(__always)
    static func key(_ user: UnsafeRawBufferPointer) -> UInt64 {
        UserIDHash(user).value
    }

    @inline(__always)
    private func shard(_ key: UInt64) -> Shard {
        shards[Int(key >> 58)]
    }

    // MARK: Reading

    /// The standing of `user` (UTF-8 id) valid at the end of `epoch`; nil when the user had none
    /// (a fresh account, or erased).
    public func standing(of user: UnsafeRawBufferPointer, asOf epoch: Int64) -> ActorStanding? {
        standing(of: UserIDHash(user), asOf: epoch)
    }

    /// ``standing(of:asOf:)`` for a user given by the hash of its id.
    public func standing(of user: UserIDHash, asOf epoch: Int64) -> ActorStanding? {
        let key = user.value
        let packed: Float? = shard(key).versions.withLock { table in
            guard let versions = table[key] else { return 0 }
            for version in versions.reversed() where version.epoch <= epoch { return version.packed }
            return nil
        }
        guard let packed else {
            // Versions exist but none old enough: the one asked for was pruned (a partition
            // restored from a snapshot older than the floor promised). Counted, never silent.
            gapCount.add(1, ordering: .relaxed)
            return nil
        }
        return ActorStanding(packed: packed)
    }

    /// The standing of `user` as of `epoch` (tests, tools).
    public func standing(of user: String, asOf epoch: Int64) -> ActorStanding? {
        var copy = user
        return copy.withUTF8 { standing(of: UnsafeRawBufferPointer($0), asOf: epoch) }
    }

    /// True when every partition has closed `epoch`: reads as of it are final.
    public func allClosed(through epoch: Int64) -> Bool {
        progress.withLock { $0.closed.allSatisfy { $0 >= epoch } }
    }

    /// The epoch each partition has closed through (`Int64.min`: not yet).
    public var closedThrough: [Int64] { progress.withLock { $0.closed } }

    /// Reads that found only versions newer than asked for (see ``standing(of:asOf:)``).
    public var gaps: Int { gapCount.load(ordering: .relaxed) }

    /// How many users have standings.
    public var count: Int {
        shards.reduce(0) { total, shard in total + shard.versions.withLock { $0.count } }
    }

    // MARK: Writing

    /// Records one user's standing from a close (`update.standing` nil: erased).
    public func record(user: UnsafeRawBufferPointer, _ update: InfluenceState.StandingUpdate) {
        record(
            key: Self.key(user), epoch: update.epoch, packed: update.standing?.packed ?? 0,
            previous: update.previous.map { ($0.epoch, $0.standing.packed) }, isFirst: update.standing != nil && update.previous == nil)
    }

    /// Records a version read back from the standings topic.
    func record(key: UInt64, epoch: Int64, packed: Float, previous: (epoch: Int64, packed: Float)?, isFirst: Bool) {
        let floor = floor.load(ordering: .relaxed)
        let version = Version(epoch: epoch, packed: packed)
        shard(key).versions.withLock { table in
            // A user's versions are edited where they lie: copied out and stored back, the copy
            // was still shared with the table when it changed, so every record allocated a new
            // array (17% of a replay's mallocs).
            if let index = table.index(forKey: key) {
                Self.record(version, previous: previous, isFirst: isFirst, floor: floor, into: &table.values[index])
            } else {
                var versions: [Version] = []
                Self.record(version, previous: previous, isFirst: isFirst, floor: floor, into: &versions)
                table[key] = versions
            }
        }
    }

    private static func record(
        _ version: Version, previous: (epoch: Int64, packed: Float)?, isFirst: Bool, floor: Int64,
        into versions: inout [Version]
    ) {
        insert(version, into: &versions, replacing: true)
        if let previous {
            insert(Version(epoch: previous.epoch, packed: previous.packed), into: &versions, replacing: false)
        } else if isFirst {
            // Before its first standing the user was unknown: say so, so that a reader one
            // epoch behind gets "unknown" rather than a gap.
            insert(Version(epoch: .min, packed: 0), into: &versions, replacing: false)
        }
        // Keep the newest version at or below the floor and everything after it.
        if let keep = versions.lastIndex(where: { $0.epoch <= floor }), keep > 0 {
            versions.removeFirst(keep)
        }
    }

    private static func insert(_ version: Version, into versions: inout [Version], replacing: Bool) {
        var index = versions.count
        while index > 0, versions[index - 1].epoch > version.epoch { index -= 1 }
        if index > 0, versions[index - 1].epoch == version.epoch {
            if replacing { versions[index - 1] = version }
            return
        }
        versions.insert(version, at: index)
    }

    /// Records that `partition` has closed every epoch through `epoch`, with its newest durable
    /// snapshot closed through `durable`. Both only move forward (a partition restored from an
    /// older snapshot closes the same epochs again, with the same standings).
    public func markClosed(partition: Int, through epoch: Int64, durable: Int64) {
        progress.withLock { progress in
            guard partition < progress.closed.count else { return }
            progress.closed[partition] = max(progress.closed[partition], epoch)
            progress.durable[partition] = max(progress.durable[partition], durable)
            floor.store(Self.floor(of: progress), ordering: .relaxed)
        }
    }

    /// Sets the lowest epoch this instance's own partitions read as of (`.min` while one is
    /// being restored or rebuilt, or none is owned).
    public func setLocalFloor(_ epoch: Int64) {
        progress.withLock { progress in
            guard progress.localFloor != epoch else { return }
            progress.localFloor = epoch
            floor.store(Self.floor(of: progress), ordering: .relaxed)
        }
    }

    private static func floor(of progress: Progress) -> Int64 {
        min(progress.localFloor, progress.durable.min() ?? .min)
    }
}
