/// Reading ahead: overlapping the cache misses of a run of events.
///
/// Applying one event is a chain of dependent misses (directory slot, id location, id bytes,
/// user record, network record) plus independent ones (dedupe bucket, pair bucket), each a trip
/// to memory at a million users. One event's chain cannot overlap with itself, but the chains of
/// different events are independent. ``warm(_:)`` walks a run of upcoming events one link at a
/// time: every event's first link, then every event's second, and so on. The loads of a stage do
/// not depend on each other, so the core keeps many of them in flight at once, and by the time
/// the events are applied their lines are in cache.
///
/// Swift exposes no prefetch instruction, so the stages are plain loads whose values are folded
/// into the result; the caller passes that to something opaque so the loads are not removed.
/// Nothing is written: warming changes no state, and a wrong guess (an id not interned yet, a
/// handle from a colliding tag) only costs a wasted load.
extension InfluenceState {
    /// What reading ahead needs to know of one event before it is interned.
    public struct EventPreview: Sendable {
        /// The event id's `StableHash.fnv1a64` (as in ``Reaction/idHash``).
        public var idHash: UInt64
        /// The reacting user's id hash (reactions and undos), else ``UserIDHash/none``.
        public var actor: UserIDHash
        /// The hash of the id the event is about (target, author, profile user), else ``UserIDHash/none``.
        public var subject: UserIDHash
        /// The subject's handle as guessed by ``InfluenceState/warm(_:)``, for the caller's own
        /// per-user tables; nil when not found.
        public internal(set) var subjectGuess: UserHandle?
        var actorGuess: Int = -1

        public init(idHash: UInt64, actor: UserIDHash, subject: UserIDHash) {
            self.idHash = idHash
            self.actor = actor
            self.subject = subject
        }
    }

    /// Reads the cache lines applying `previews`' events will touch, one stage across all of them
    /// at a time, and returns a value folded from what it read. Fills each preview's
    /// ``EventPreview/subjectGuess``.
    public func warm(_ previews: UnsafeMutableBufferPointer<EventPreview>) -> UInt64 {
        var folded: UInt64 = 0
        // Stage 1: the directory's home slots and the dedupe buckets.
        for preview in previews {
            if preview.actor.value != 0 { folded &+= directory.touchHome(preview.actor.value) }
            if preview.subject.value != 0 { folded &+= directory.touchHome(preview.subject.value) }
            folded &+= recent.touchHome(preview.idHash)
        }
        // Stage 2: the handles the slots name, their locations and user records.
        let userCount = users.count
        for index in previews.indices {
            var actor = -1, subject = -1
            if previews[index].actor.value != 0, let handle = directory.guessHandle(previews[index].actor.value), handle < userCount {
                actor = handle
                folded &+= directory.touchLocation(handle) &+ UInt64(users[handle].flags)
            }
            if previews[index].subject.value != 0, let handle = directory.guessHandle(previews[index].subject.value), handle < userCount {
                subject = handle
                folded &+= directory.touchLocation(handle) &+ UInt64(users[handle].firstNetwork)
            }
            previews[index].actorGuess = actor
            previews[index].subjectGuess = subject >= 0 ? UserHandle(rawValue: UInt32(subject)) : nil
        }
        // Stage 3: the ids' bytes, the subject's first network record (both of its lines) and
        // the pair's bucket.
        for preview in previews {
            if preview.actorGuess >= 0 { folded &+= directory.touchBytes(preview.actorGuess) }
            guard let subject = preview.subjectGuess.map({ Int($0.rawValue) }) else { continue }
            folded &+= directory.touchBytes(subject)
            let first = Int(users[subject].firstNetwork)
            if first > 0, first <= networkRecords.count {
                folded &+= networkRecords[first - 1].established.bitPattern &+ UInt64(networkRecords[first - 1].next)
            }
            if preview.actorGuess >= 0 {
                folded &+= pairs.touchBucket(PairMemory.key(
                    actor: UserHandle(rawValue: UInt32(preview.actorGuess)), target: UserHandle(rawValue: UInt32(subject))))
            }
        }
        return folded
    }
}

extension RecentEventWindow {
    /// The first key of the bucket an event id hashes to (reading ahead).
    @inline(__always)
    func touchHome(_ id: UInt64) -> UInt64 { buckets[home(RecentEventWindow.key(id))].key0 }
}

extension PairMemory {
    /// The first key of a pair's bucket (reading ahead).
    @inline(__always)
    func touchBucket(_ key: UInt64) -> UInt64 { entries[bucketStart(key)].key }
}
