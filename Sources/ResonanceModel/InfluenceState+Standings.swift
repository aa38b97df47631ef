/// Standings: what *Who* reads about an actor, published once per epoch of event time.
///
/// A reaction's *Who* must not depend on how far other partitions had got when it was applied,
/// or results would depend on timing (docs/DESIGN.md, "Deterministic Who"). So an actor's
/// standing is its score at the end of the previous epoch. The state keeps what closing an epoch
/// needs: the users that changed since the last close (O(changed) at close, never a sweep), and
/// per user the standing last published (a reader one epoch behind still needs it after the
/// newer one replaced it). An erased user is not here: the engine withdraws its standing when it
/// applies the erase, so that no id outlives the erasure.
extension InfluenceState {
    /// One user's standing as published when an epoch closes.
    public struct StandingUpdate {
        /// The epoch the standing is valid from (the epoch in which the user last changed).
        public var epoch: Int64
        /// The standing from ``epoch`` on; nil when the user was erased.
        public var standing: ActorStanding?
        /// The standing published before it and its epoch; nil when there was none.
        public var previous: (epoch: Int64, standing: ActorStanding)?

        public init(epoch: Int64, standing: ActorStanding?, previous: (epoch: Int64, standing: ActorStanding)? = nil) {
            self.epoch = epoch
            self.standing = standing
            self.previous = previous
        }
    }

    /// Closes every epoch up to and including `epoch`: calls `body` with the id and standing of
    /// each user that changed since the last close, then forgets the list.
    ///
    /// The standings are the scores at the state's watermark. They are valid from the epoch the
    /// changes happened in: the one after the previous close.
    public mutating func closeStandings(
        through epoch: Int64, _ body: (_ user: UnsafeRawBufferPointer, _ update: StandingUpdate) -> Void
    ) {
        let changedIn = currentStandingEpoch(closing: epoch)
        for handle in standingsDue {
            let index = Int(handle)
            var record = users[index]
            record.flags &= ~UserRecord.standingDueBit
            guard record.flags & UserRecord.erasedBit == 0 else { continue }
            let user = UserHandle(rawValue: handle)
            let standing = ActorStanding(score: score(of: user), flagged: !record.actorFlags.isEmpty)
            let previous = ActorStanding(packed: record.standing).map { (Int64(record.standingEpoch), $0) }
            record.standing = standing.packed
            record.standingEpoch = Int32(clamping: changedIn)
            users[index] = record
            _ = directory.withID(of: index) { id in
                body(id, StandingUpdate(epoch: changedIn, standing: standing, previous: previous))
            }
        }
        standingsDue.removeAll(keepingCapacity: true)
        if epoch > standingsClosedThrough { standingsClosedThrough = epoch }
    }

    /// The epoch to close through before applying an event at `time` (epoch milliseconds), or
    /// nil when none is due: an event of a later epoch than the current one closes the earlier
    /// ones first, in input order, so every replay closes at the same events. A late event (of an
    /// earlier epoch) closes nothing and is applied in the current one.
    public func standingsCloseDue(beforeEventAt time: Int64) -> Int64? {
        let epoch = configuration.standingEpoch(of: time)
        return standingsClosedThrough == .min || epoch > standingsClosedThrough + 1 ? epoch - 1 : nil
    }

    /// How many users wait for the next close.
    public var standingsDueCount: Int { standingsDue.count }

    /// The epoch changes applied now belong to: the one after the last close (or `epoch` before
    /// the first close).
    public func currentStandingEpoch(closing epoch: Int64 = .max) -> Int64 {
        standingsClosedThrough == .min ? epoch : Swift.min(epoch, standingsClosedThrough + 1)
    }

    /// Notes that `user`'s score may have changed: its standing goes out at the next close.
    @inline(__always)
    mutating func markStandingDue(_ user: UserHandle) {
        let index = Int(user.rawValue)
        if users[index].flags & UserRecord.standingDueBit == 0 {
            users[index].flags |= UserRecord.standingDueBit
            standingsDue.append(user.rawValue)
        }
    }
}

extension ActorStanding {
    /// The standing in four bytes: the score, negated when flagged; 0 means none.
    @inlinable
    public var packed: Float { flagged ? -Float(score) : Float(score) }

    /// The standing packed in `value`, or nil for 0 (none) and values that are not a score.
    @inlinable
    public init?(packed value: Float) {
        guard value.isFinite, value.magnitude >= 1, value.magnitude <= 100 else { return nil }
        self.init(score: Double(value.magnitude), flagged: value < 0)
    }
}

extension InfluenceState {
    /// The standing last published for `user` by ``closeStandings(through:_:)``; nil when none
    /// was (or the handle is not live). For a partition that is the whole input, this is the
    /// standing as of the last close.
    public func publishedStanding(of user: UserHandle) -> ActorStanding? {
        guard isLive(user) else { return nil }
        return ActorStanding(packed: users[Int(user.rawValue)].standing)
    }
}

extension InfluenceState {
    /// Applies one event as a partition that is the whole input would (a replay of a data set,
    /// tests): an event of a later epoch first closes the earlier ones, and *Who* reads the
    /// actor's standing as published at the last close, from this state.
    public mutating func applyAsWholeInput(_ event: ModelEvent) -> ApplyOutcome {
        if let due = standingsCloseDue(beforeEventAt: event.time) {
            closeStandings(through: due) { _, _ in }
        }
        return applyReadingOwnStandings(event)
    }

    /// Applies one event with *Who* read from the standings this state published at its last
    /// close (the engine closes epochs itself first). The same as reading ``publishedStanding(of:)``
    /// and passing it to ``apply(_:standing:)``, but read in place: a caller in another module
    /// that reads it first makes the compiler copy the whole state struct (about 1 KB) to the
    /// stack for the call, on every event.
    public mutating func applyReadingOwnStandings(_ event: ModelEvent) -> ApplyOutcome {
        var who = ActorStanding(score: configuration.unknownActorScore)
        if case .reaction(let reaction) = event, let standing = publishedStanding(of: reaction.actor) {
            who = standing
        }
        return apply(event, standing: { _ in who })
    }
}
