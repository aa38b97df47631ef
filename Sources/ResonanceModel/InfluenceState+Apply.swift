#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Applying events: O(1) work each, no allocation in steady state.
extension InfluenceState {
    /// Applies one event and says what changed.
    ///
    /// Any event time is accepted, earlier or later than the watermark: the model has no clock, so
    /// it cannot tell a quiet year from a clock bug. The engine, which has one, should dead-letter
    /// events whose time is far ahead of wall time before they reach the model.
    ///
    /// - Parameters:
    ///   - event: a decoded event whose handles this state issued.
    ///   - remoteStanding: the engine's global score table, asked for an actor's standing when the
    ///     actor is not tracked in this state (its own partition is elsewhere); nil when unknown,
    ///     in which case the actor counts as a fresh account (`unknown_actor_score`).
    public mutating func apply(_ event: ModelEvent, remoteStanding: (UserHandle) -> ActorStanding?) -> ApplyOutcome {
        // Resolved before applying: the closure below must not read the state `apply` mutates.
        var resolved = ActorStanding(score: configuration.unknownActorScore)
        if case .reaction(let reaction) = event, isLive(reaction.actor) {
            resolved = standing(of: reaction.actor, remoteStanding: remoteStanding)
        }
        return apply(event, standing: { _ in resolved })
    }

    /// Applies one event, reading every actor's standing from `standing` alone (the engine's
    /// standings as of the previous epoch: the same for an actor of this partition or another).
    public mutating func apply(_ event: ModelEvent, standing: (UserHandle) -> ActorStanding) -> ApplyOutcome {
        let outcome = applyUnmarked(event, standing: standing)
        switch outcome {
        case .changed(let user): markStandingDue(user)
        case .erased: break
        case .duplicate, .selfReactionIgnored, .unknownUser, .unmatchedUndo: break
        }
        return outcome
    }

    private mutating func applyUnmarked(_ event: ModelEvent, standing: (UserHandle) -> ActorStanding) -> ApplyOutcome {
        let time = event.time
        switch event {
        case .reaction(let reaction):
            guard isLive(reaction.actor), isLive(reaction.target), Int(reaction.network.rawValue) < networkNames.count,
                Int(reaction.action.rawValue) < parameters.actionNames.count
            else { return .unknownUser }
            guard let sequence = admit(reaction.idHash, time: time) else { return .duplicate }
            if reaction.actor == reaction.target { return .selfReactionIgnored }
            applyReaction(reaction, sequence: sequence, standing: standing(reaction.actor))
            return .changed(reaction.target)
        case .post(let post):
            guard isLive(post.author), Int(post.network.rawValue) < networkNames.count else { return .unknownUser }
            guard admit(post.idHash, time: time) != nil else { return .duplicate }
            let record = networkRecordIndex(of: post.author, network: post.network)
            networkRecords[record].posts += growth(at: time, halfLife: parameters.fastHalfLife)
            rememberTopics(of: post)
            markTracked(post.author)
            return .changed(post.author)
        case .profile(let profile):
            guard isLive(profile.user), Int(profile.network.rawValue) < networkNames.count else { return .unknownUser }
            guard admit(profile.idHash, time: time) != nil else { return .duplicate }
            let record = networkRecordIndex(of: profile.user, network: profile.network)
            networkRecords[record].followers = profile.followers
            networkRecords[record].following = profile.following
            networkRecords[record].lists = profile.lists
            let index = Int(profile.user.rawValue)
            users[index].flags = (users[index].flags & 0xFF) | UInt32(profile.flags.rawValue) << 8
            markTracked(profile.user)
            return .changed(profile.user)
        case .undo(let undo):
            guard admit(undo.idHash, time: time) != nil else { return .duplicate }
            return applyUndo(undo)
        case .erase(let erase):
            guard isLive(erase.user) else { return .unknownUser }
            guard admit(erase.idHash, time: time) != nil else { return .duplicate }
            forget(erase.user)
            return .erased(erase.user)
        }
    }

    /// True for a handle this state issued and has not erased.
    @inline(__always)
    func isLive(_ handle: UserHandle) -> Bool {
        Int(handle.rawValue) < users.count && users[Int(handle.rawValue)].flags & UserRecord.erasedBit == 0
    }

    /// Records the id as seen and advances time; returns the event's sequence number, or nil
    /// when the id was seen recently.
    mutating func admit(_ idHash: UInt64, time: Int64) -> UInt64? {
        precondition(!isReadingCopy, "a copy made for reading has no dedupe window: it cannot take events")
        guard let sequence = recent.admit(idHash) else { return nil }
        advanceLandmark(to: time)
        if time > watermark { watermark = time }
        refreshDecayCache()
        return sequence
    }

    mutating func markTracked(_ user: UserHandle) {
        let index = Int(user.rawValue)
        if users[index].flags & UserRecord.trackedBit == 0 {
            users[index].flags |= UserRecord.trackedBit
            trackedUserCount += 1
        }
    }

    /// The index of the user's record for a network, creating it (at the head of the user's
    /// chain) if missing.
    mutating func networkRecordIndex(of user: UserHandle, network: NetworkID) -> Int {
        let userIndex = Int(user.rawValue)
        var link = users[userIndex].firstNetwork
        while link != 0 {
            let index = Int(link - 1)
            if networkRecords[index].network == network.rawValue { return index }
            link = networkRecords[index].next
        }
        var record = NetworkRecord()
        record.network = network.rawValue
        record.next = users[userIndex].firstNetwork
        let index = networkRecords.append(record)
        users[userIndex].firstNetwork = UInt32(index + 1)
        return index
    }

    /// The standing that weighs an actor's reactions: from this state when the actor is tracked
    /// here, else from the engine's global table, else a fresh account's.
    func standing(of actor: UserHandle, remoteStanding: (UserHandle) -> ActorStanding?) -> ActorStanding {
        let record = users[Int(actor.rawValue)]
        if record.isTracked {
            return ActorStanding(score: score(of: actor), flagged: !record.actorFlags.isEmpty)
        }
        if let remote = remoteStanding(actor) { return remote }
        return ActorStanding(score: configuration.unknownActorScore, flagged: false)
    }

    mutating func applyReaction(_ reaction: Reaction, sequence: UInt64, standing: ActorStanding) {
        let time = reaction.time
        // A flagged actor's own score is disregarded: it weighs as a fresh account times the
        // flagged factor, whatever standing it has built.
        let score = standing.flagged ? 1 : Swift.min(Swift.max(standing.score, 1), 100)
        var who = exp2((score - 1) / configuration.whoDoublingPoints)
        if standing.flagged { who *= configuration.flaggedActorFactor }
        let lowStanding = standing.flagged || score < configuration.crowdStandingThreshold

        // Diminishing returns: the pair's decayed count of earlier reactions.
        let pairKey = PairMemory.key(actor: reaction.actor, target: reaction.target)
        let pairGrowth = growth(at: time, halfLife: parameters.pairHalfLife)
        let earlier = pairs.add(pairGrowth, to: pairKey) / pairGrowth
        // A pair's first reaction: (1 + 0)^−e is exactly 1 (IEEE pow(1, y) = 1).
        let repeatFactor = earlier == 0 ? 1 : pow(1 + earlier, -configuration.repeatExponent)

        let action = Int(reaction.action.rawValue)
        let lasting = parameters.actionIsLasting[action]
        let pool: Pool = lasting ? (lowStanding ? .lastingCrowd : .lastingEstablished) : (lowStanding ? .crowd : .established)
        let ageFactor = accountAgeFactor(of: reaction)
        let weight = parameters.actionWeights[action] * who * repeatFactor * ageFactor
        let reach = Swift.max(0, 1 - earlier)
        // A day of engagement counts when a new engager marks it (no reaction of this actor to
        // this target in the pair memory) at full weight: not a flagged or young account. So one
        // account cannot buy a day a day by coming back, and a ring of new accounts opens none.
        let countsDay = !lasting && !standing.flagged && ageFactor == 1 && earlier == 0

        var entry = UndoEntry()
        entry.weight = weight
        entry.reach = reach
        entry.standing = score
        entry.time = time
        entry.actor = reaction.actor.rawValue
        entry.target = reaction.target.rawValue
        entry.network = reaction.network.rawValue
        // Flagged accounts' reactions stay out of the enduring record: what lasts must not be bought.
        let enduring = !lasting && !standing.flagged
        entry.pool = pool.rawValue | (countsDay ? UndoEntry.countsDayBit : 0) | (enduring ? UndoEntry.enduringBit : 0)
        if add(entry, sign: 1).openedDay { entry.pool |= UndoEntry.openedDayBit }
        if let content = reaction.contentHash, contentTopics.entries.count > 0, let opened = creditTopics(entry, content: content, sign: 1) {
            entry.content = content
            entry.topicDaysOpened = opened
            entry.pool |= UndoEntry.topicsBit
        }
        let (slot, generation) = undoSlot(of: sequence)
        entry.generation = generation
        if slot >= undoEntries.count { growUndoLog(toHold: slot) }
        undoEntries[slot] = entry
        markTracked(reaction.target)
    }

    /// The account-age factor: `min(1, age / new_account_days)` for a reaction whose actor's account
    /// creation time is known, else 1. An attacker's fresh accounts count in proportion to the
    /// days they have existed, so a ring made for one attack buys almost nothing.
    @inline(__always)
    func accountAgeFactor(of reaction: Reaction) -> Double {
        guard let created = reaction.actorCreated, parameters.newAccountAge > 0 else { return 1 }
        let age = Double(reaction.time) - Double(created)
        return age >= parameters.newAccountAge ? 1 : Swift.max(0, age) / parameters.newAccountAge
    }

    /// The day an event time falls in, as ``NetworkRecord/lastActiveDay`` stores it: UTC days
    /// since 1970-01-01, plus one so that 0 means none.
    @inline(__always)
    func activeDay(of time: Int64) -> UInt32 {
        UInt32(truncatingIfNeeded: time.floorDivided(by: 86_400_000) + 1)
    }

    /// Adds (sign 1) or removes (sign −1) a reaction's contribution to its target's sums. Adding,
    /// it opens the reaction's day when the reaction counts toward active days and the day is
    /// new; removing, it takes back the day the reaction opened (a later reaction that day opens
    /// it again). Returns the network record it changed and whether it opened a day.
    @discardableResult
    mutating func add(_ entry: UndoEntry, sign: Double) -> (record: Int, openedDay: Bool) {
        let target = UserHandle(rawValue: entry.target)
        let record = networkRecordIndex(of: target, network: NetworkID(rawValue: entry.network))
        let fast = growth(at: entry.time, halfLife: parameters.fastHalfLife)
        let pool = Pool(rawValue: entry.pool & UndoEntry.poolMask) ?? .crowd
        let poolGrowth = pool.isLasting ? growth(at: entry.time, halfLife: parameters.lastingHalfLife) : fast
        let amount = sign * entry.weight * poolGrowth
        let enduring = entry.pool & UndoEntry.enduringBit != 0
        let enduringGrowth = enduring ? growth(at: entry.time, halfLife: parameters.enduringHalfLife) : 0
        let countsDay = sign > 0 ? entry.pool & UndoEntry.countsDayBit != 0 : entry.pool & UndoEntry.openedDayBit != 0
        let day = countsDay ? activeDay(of: entry.time) : 0
        var openedDay = false
        func accumulate(_ value: inout Double, _ delta: Double) {
            value += delta
            if sign < 0 && value < 0 { value = 0 }
        }
        // The record is updated through one access (one page lookup and one copy-on-write check),
        // not one per field.
        func addTo(_ sums: inout NetworkRecord) {
            switch pool {
            case .established: accumulate(&sums.established, amount)
            case .crowd: accumulate(&sums.crowd, amount)
            case .lastingEstablished: accumulate(&sums.lastingEstablished, amount)
            case .lastingCrowd: accumulate(&sums.lastingCrowd, amount)
            }
            if enduring { accumulate(&sums.enduring, sign * entry.weight * enduringGrowth) }
            if countsDay {
                if sign > 0 {
                    // Only a day after the last one counted opens: a late reaction for an earlier
                    // day cannot count that day again.
                    if day > sums.lastActiveDay {
                        sums.lastActiveDay = day
                        sums.activeDays += enduringGrowth
                        openedDay = true
                    }
                } else {
                    // The day is taken back even if another reaction that day still stands
                    // (undercounting cannot be gamed); a later new engager that day opens it again.
                    accumulate(&sums.activeDays, -enduringGrowth)
                    if sums.lastActiveDay == day { sums.lastActiveDay = day == 0 ? 0 : day - 1 }
                }
            }
            accumulate(&sums.reach, sign * entry.reach * fast)
            accumulate(&sums.reactions, sign * fast)
            accumulate(&sums.engagerScores, sign * entry.standing * fast)
        }
        addTo(&networkRecords[record])
        let targetIndex = Int(entry.target)
        if sign > 0 {
            users[targetIndex].creditEngager(entry.actor, entry.weight * fast)
        } else {
            users[targetIndex].debitEngager(entry.actor, entry.weight * fast)
        }
        return (record, openedDay)
    }

    mutating func applyUndo(_ undo: Undo) -> ApplyOutcome {
        guard let sequence = recent.sequence(of: undo.undoesHash) else { return .unmatchedUndo }
        let (slot, generation) = undoSlot(of: sequence)
        // Past the end of a log that has not grown that far: no reaction was kept there.
        guard slot < undoEntries.count else { return .unmatchedUndo }
        let entry = undoEntries[slot]
        guard entry.generation == generation, entry.actor == undo.actor.rawValue, entry.target == undo.target.rawValue
        else { return .unmatchedUndo }
        add(entry, sign: -1)
        if entry.pool & UndoEntry.topicsBit != 0 { _ = creditTopics(entry, content: entry.content, sign: -1) }
        let pairKey = PairMemory.key(actor: undo.actor, target: undo.target)
        pairs.subtract(growth(at: entry.time, halfLife: parameters.pairHalfLife), from: pairKey)
        undoEntries[slot] = UndoEntry()
        return .changed(undo.target)
    }

    /// Where the contribution of the reaction admitted as `sequence` is kept: the undo ring holds
    /// the last `undo_capacity` events' slots, and the generation (never 0, which marks an empty
    /// entry) tells a slot's current reaction from earlier ones.
    @inline(__always)
    func undoSlot(of sequence: UInt64) -> (slot: Int, generation: UInt32) {
        let capacity = UInt64(configuration.undoCapacity)
        let generation = UInt32(truncatingIfNeeded: sequence / capacity &+ 1)
        return (Int(sequence % capacity), generation == 0 ? 1 : generation)
    }

    /// Lengthens the undo log to hold `slot`: by pages, doubling, up to `undo_capacity` slots.
    /// Slots are taken in order until the log is full size, so the log follows the input and a
    /// quiet partition does not hold the full log (12 MB at the default capacity).
    mutating func growUndoLog(toHold slot: Int) {
        let count = Swift.max(slot + 1, 2 * undoEntries.count, undoEntries.pageSize)
        undoEntries.resize(to: Swift.min(count, configuration.undoCapacity))
    }
}
