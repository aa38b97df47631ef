/// Reading ahead: overlapping the cache misses of upcoming events.
///
/// At a million users nearly every line an event touches is a trip to memory: the directory slot,
/// the id's location and bytes, both users' records, the target's network record, the dedupe
/// bucket and the pair's bucket. Applied one event after another, those misses are paid one after
/// another. The CPU's prefetch instruction starts a line's load and retires at once, so a run of
/// upcoming events can have all its lines in flight together while earlier events are applied.
/// Swift cannot express that instruction; `CPrefetch` is one inline C function that can.
///
/// Some lines can only be found through others (a user's record through the directory slot, the
/// network record through the user record), so reading ahead goes in ``ReadAheadStage``s: a
/// caller runs each stage on a run of events a little before the next, and the last one shortly
/// before applying them. Nothing is written: reading ahead changes no state, and a wrong guess
/// (an id not interned yet, a handle from a colliding tag) only costs a wasted prefetch.
extension InfluenceState {
    /// One step of reading ahead for a run of events; run them in order, some events apart.
    public enum ReadAheadStage: Sendable, CaseIterable {
        /// Lines found from the event alone: the ids' directory slots and the dedupe bucket (and,
        /// for events whose handles are known, the users' records and the pair's bucket).
        case slots
        /// Lines found through the slots: the handles' locations and user records (for events
        /// whose handles are known, the target's network record).
        case records
        /// Lines found through the records stage: the ids' bytes (through their locations), the
        /// subject's network record (through its user record) and the pair's bucket (from the
        /// guessed handles).
        case sums
    }

    /// What reading ahead needs to know of one event.
    public struct EventPreview: Sendable {
        /// The event id's `StableHash.fnv1a64` (as in ``Reaction/idHash``); 0 for no event.
        public var idHash: UInt64
        /// The reacting user's id hash (reactions and undos), else ``UserIDHash/none``.
        public var actor: UserIDHash
        /// The hash of the id the event is about (target, author, profile user), else ``UserIDHash/none``.
        public var subject: UserIDHash
        /// The subject's handle: given, or as guessed by the ``ReadAheadStage/records`` stage (for
        /// the caller's own per-user tables); nil when not known.
        public internal(set) var subjectGuess: UserHandle?
        var actorGuess: Int = -1
        /// Whether the handles are the event's own (a translated event), not guesses from hashes.
        let handlesKnown: Bool

        /// An event not yet interned: its ids' hashes.
        public init(idHash: UInt64, actor: UserIDHash, subject: UserIDHash) {
            self.idHash = idHash
            self.actor = actor
            self.subject = subject
            handlesKnown = false
        }

        /// An event whose handles this state issued.
        public init(_ event: ModelEvent) {
            idHash = event.idHash
            actor = .none
            subject = .none
            handlesKnown = true
            switch event {
            case .reaction(let reaction):
                actorGuess = Int(reaction.actor.rawValue)
                subjectGuess = reaction.target
            case .undo(let undo):
                actorGuess = Int(undo.actor.rawValue)
                subjectGuess = undo.target
            case .post(let post): subjectGuess = post.author
            case .profile(let profile): subjectGuess = profile.user
            case .erase: break  // rare, and it reads what it erases one line at a time anyway
            }
        }

        /// No event (a rejected line in a run): every stage skips it.
        public static let none = EventPreview(idHash: 0, actor: .none, subject: .none)
    }

    /// Events per run of the read-ahead schedule (``readAhead(_:before:)``): enough independent
    /// misses to keep the core's line-fill buffers busy.
    public static let readAheadRun = 16

    /// The read-ahead schedule for a sequence of events, to call before applying event `index`
    /// (events applied in order from index 0): at every run's start, prefetches the
    /// ``ReadAheadStage/sums`` of the next run, the ``ReadAheadStage/records`` of the one after
    /// and the ``ReadAheadStage/slots`` of the one after that, so each stage's loads find the
    /// lines the previous one prefetched a run (several hundred nanoseconds) earlier.
    ///
    /// Returns the events whose sums it prefetched (empty between runs' starts), so that the
    /// caller can prefetch its own per-user entries for their guessed subjects.
    @discardableResult
    public func readAhead(_ previews: UnsafeMutableBufferPointer<EventPreview>, before index: Int) -> Range<Int> {
        let run = InfluenceState.readAheadRun
        guard index % run == 0 else { return index..<index }
        func stage(_ stage: ReadAheadStage, runsAhead: Int) -> Range<Int> {
            // At the first event, every stage also covers the runs it would have reached earlier.
            let start = Swift.min(index == 0 ? 0 : index + runsAhead * run, previews.count)
            let end = Swift.max(start, Swift.min(index + (runsAhead + 1) * run, previews.count))
            if start < end { readAhead(UnsafeMutableBufferPointer(rebasing: previews[start..<end]), stage: stage) }
            return start..<end
        }
        _ = stage(.slots, runsAhead: 3)
        _ = stage(.records, runsAhead: 2)
        return stage(.sums, runsAhead: 1)
    }

    /// Prefetches the lines that `stage` can find for `previews`' events; the
    /// ``ReadAheadStage/records`` stage also fills each preview's ``EventPreview/subjectGuess``.
    public func readAhead(_ previews: UnsafeMutableBufferPointer<EventPreview>, stage: ReadAheadStage) {
        switch stage {
        case .slots:
            for preview in previews where preview.idHash != 0 {
                recent.prefetchHome(preview.idHash)
                if preview.handlesKnown {
                    prefetchRecord(preview.actorGuess)
                    prefetchRecord(preview.subjectGuess.map { Int($0.rawValue) } ?? -1)
                    prefetchPair(preview)
                } else {
                    if preview.actor != .none { directory.prefetchHome(preview.actor.value) }
                    if preview.subject != .none { directory.prefetchHome(preview.subject.value) }
                }
            }
        case .records:
            for index in previews.indices where previews[index].idHash != 0 {
                if previews[index].handlesKnown {
                    prefetchNetworkRecord(of: previews[index].subjectGuess)
                    continue
                }
                previews[index].actorGuess = guessAndPrefetch(previews[index].actor)
                let subject = guessAndPrefetch(previews[index].subject)
                previews[index].subjectGuess = subject >= 0 ? UserHandle(rawValue: UInt32(subject)) : nil
            }
        case .sums:
            for preview in previews where preview.idHash != 0 && !preview.handlesKnown {
                if preview.actorGuess >= 0 { directory.prefetchBytes(preview.actorGuess) }
                guard let subject = preview.subjectGuess else { continue }
                directory.prefetchBytes(Int(subject.rawValue))
                prefetchNetworkRecord(of: subject)
                prefetchPair(preview)
            }
        }
    }

    /// The handle the directory slot of `hash` names (a load of the slot the previous stage
    /// prefetched; a guess, see ``UserDirectory/guessHandle(_:)``), with its location and user
    /// record prefetched; -1 for no id or no match.
    @inline(__always)
    private func guessAndPrefetch(_ hash: UserIDHash) -> Int {
        guard hash != .none, let handle = directory.guessHandle(hash.value) else { return -1 }
        directory.prefetchLocation(handle)
        prefetchRecord(handle)
        return handle
    }

    @inline(__always)
    private func prefetchRecord(_ handle: Int) {
        if handle >= 0, handle < users.count { users.prefetch(handle) }
    }

    /// The subject's first network record (its record's line is loaded by now).
    @inline(__always)
    private func prefetchNetworkRecord(of subject: UserHandle?) {
        guard let subject, Int(subject.rawValue) < users.count else { return }
        let first = Int(users[Int(subject.rawValue)].firstNetwork)
        if first > 0, first <= networkRecords.count { networkRecords.prefetch(first - 1) }
    }

    @inline(__always)
    private func prefetchPair(_ preview: EventPreview) {
        guard preview.actorGuess >= 0, let subject = preview.subjectGuess else { return }
        pairs.entries.prefetch(pairs.bucketStart(PairMemory.key(actor: UserHandle(rawValue: UInt32(preview.actorGuess)), target: subject)))
    }
}

extension UserDirectory {
    /// The home slot of an id with hash `hash`.
    @inline(__always)
    func prefetchHome(_ hash: UInt64) { slots.prefetch(Int(truncatingIfNeeded: hash) & (slots.count - 1)) }

    /// The handle the probe run of `hash` names with a matching tag, without comparing bytes
    /// (a guess for reading ahead, never for interning); nil when no slot matches or the handle
    /// is not issued.
    @inline(__always)
    func guessHandle(_ hash: UInt64) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        let tag = UserDirectory.tag(hash)
        for _ in 0..<4 {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if UserDirectory.tag(entry) == tag {
                let handle = UserDirectory.handle(inSlot: entry)
                return handle < locations.count ? handle : nil
            }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// A handle's location in the arena.
    @inline(__always)
    func prefetchLocation(_ handle: Int) { locations.prefetch(handle) }

    /// The first bytes of a handle's id in the arena (its location was prefetched before).
    @inline(__always)
    func prefetchBytes(_ handle: Int) {
        guard handle < locations.count else { return }
        let start = Int(locations[handle] >> 16)
        if start < arena.count { arena.prefetch(start) }
    }
}

extension RecentEventWindow {
    /// The bucket an event id hashes to.
    @inline(__always)
    func prefetchHome(_ id: UInt64) { buckets.prefetch(home(RecentEventWindow.key(id))) }
}
