import CPrefetch
import ResonanceModel

/// One input partition: its influence state, and the bookkeeping that decides which score
/// changes to publish.
///
/// All of a user's events arrive in the user's partition, so everything about the user lives
/// here and nowhere else (DESIGN.md, invariant 1). A struct, not a class, so that reading the
/// state inside its methods borrows it instead of copying (and retaining) every array in it.
public struct PartitionProcessor {
    /// The input partition number (every co-partitioned topic's partition of that number).
    public let partition: Int32
    /// The influence model's state for this partition.
    public private(set) var state: InfluenceState
    /// Events applied so far (duplicates and ignored events included): the source of versions.
    public private(set) var sequence: Int64 = 0
    /// What the model did with the last event applied (for replays that sample the state, such as
    /// calibration); nil before the first.
    public private(set) var lastOutcome: ApplyOutcome?
    /// The score last published per user handle (0: none). Part of the durable state: it is the
    /// `previous` of the next change, and what decides whether a move is a step.
    private var lastPublished: [Float] = []

    private let publishing: PublishingOptions
    private let timePolicy: EventTimePolicy
    private let intervalMilliseconds: Int64
    /// How precisely decay crossings are located: 1/4096 of the half-life (about 10.5 minutes of
    /// event time at the default 30 days, while a score needs hours of decay to fall one step).
    /// Millisecond precision took ~30 score evaluations per change; this takes ~10.
    private let crossingResolution: Int64

    /// Wall-clock bookkeeping: restarts empty, is not part of the value (copies share it; only
    /// the thread applying this partition's events touches it, one at a time), so copying a
    /// processor for a snapshot or a reader never copies it.
    private let schedule = PublishSchedule()

    /// Creates an empty partition.
    public init(
        partition: Int32,
        configuration: ModelConfiguration,
        publishing: PublishingOptions = PublishingOptions(),
        timePolicy: EventTimePolicy = EventTimePolicy()
    ) throws(ModelError) {
        self.init(
            partition: partition, state: try InfluenceState(configuration: configuration), sequence: 0, lastPublished: [],
            publishing: publishing, timePolicy: timePolicy)
    }

    /// Resumes a partition from a snapshot.
    public init(
        restoring snapshot: PartitionSnapshot,
        publishing: PublishingOptions = PublishingOptions(),
        timePolicy: EventTimePolicy = EventTimePolicy()
    ) {
        self.init(
            partition: snapshot.partition, state: snapshot.state, sequence: snapshot.sequence,
            lastPublished: snapshot.lastPublished, publishing: publishing, timePolicy: timePolicy)
        durableClosedThrough = snapshot.state.standingsClosedThrough
        // The schedule is not durable: every user published before the snapshot needs their
        // decay crossing located again, or a user who stays quiet would never be seen to fall.
        schedule.unlocatedEnd = lastPublished.count
    }

    private init(
        partition: Int32, state: InfluenceState, sequence: Int64, lastPublished: [Float],
        publishing: PublishingOptions, timePolicy: EventTimePolicy
    ) {
        self.partition = partition
        self.state = state
        self.sequence = sequence
        self.lastPublished = lastPublished
        self.publishing = publishing
        self.timePolicy = timePolicy
        intervalMilliseconds = publishing.minimumInterval.inMilliseconds
        crossingResolution = Swift.max(1, Int64(state.halfLifeMilliseconds / 4096))
    }

    /// The durable part of this partition, for a snapshot covering input up to `nextOffsets`.
    /// Costs O(pages): the state's pages are shared until either side writes them.
    public func snapshot(nextOffsets: [String: Int64]) -> PartitionSnapshot {
        PartitionSnapshot(partition: partition, sequence: sequence, nextOffsets: nextOffsets, state: state, lastPublished: lastPublished)
    }

    /// A copy of this partition's state for readers on other threads (see ``ObservedPartition``).
    public func observed() -> ObservedPartition {
        ObservedPartition(partition: partition, state: state)
    }

    /// What ``apply(_:standings:wallClock:emit:publish:)`` did with an event.
    public enum ApplyResult {
        /// Applied (or harmlessly ignored: a duplicate, a self-reaction, an unmatched undo).
        case applied
        /// Rejected: the event goes to the dead letters.
        case rejected(EventRejection)
        /// Not applied yet: the event's epoch needs standings as of an epoch that not every
        /// partition has closed. Offer the same event again once ``StandingsTable/allClosed(through:)``
        /// says so; nothing about it has been applied.
        case waiting(forEpoch: Int64)
    }

    /// What a close gives the caller to publish (the processor has already recorded it in the
    /// table): each changed user's standing, then the marker.
    public enum StandingsRecord {
        case standing(user: UnsafeRawBufferPointer, InfluenceState.StandingUpdate)
        case closed(through: Int64, durable: Int64)
    }

    /// The epoch the newest durable snapshot of this partition had closed through: published
    /// with each close, so that readers keep the standings a restore of it would ask for.
    public var durableClosedThrough: Int64 = .min
    /// The standings epoch reads were last found final for (not durable: rechecked after a
    /// restore).
    private var verifiedThrough: Int64 = .min

    /// Applies one decoded event; says whether it was applied, rejected, or has to wait for
    /// other partitions to close an epoch.
    ///
    /// - Parameters:
    ///   - event: the decoded event.
    ///   - standings: where *Who* is read (as of the last epoch this partition closed) and where
    ///     this partition's closes are recorded; nil when this partition is the whole input, so
    ///     that its own published standings are all there is.
    ///   - wallClock: now, epoch milliseconds (only for the time bound and publish throttling).
    ///   - emit: receives each score change to publish.
    ///   - publish: receives what a close publishes (the standings topic's records).
    public mutating func apply(
        _ event: DecodedEvent,
        standings: StandingsTable?,
        wallClock: Int64,
        emit: (ScoreChange) -> Void,
        publish: (StandingsRecord) -> Void = { _ in }
    ) -> ApplyResult {
        if let rejection = timePolicy.rejection(of: event.time, wallClock: wallClock) {
            return .rejected(rejection)
        }
        if let due = state.standingsCloseDue(beforeEventAt: event.time) {
            closeStandings(through: due, standings: standings, publish: publish)
        }
        let readsAsOf = state.standingsClosedThrough
        if let standings, readsAsOf > verifiedThrough {
            guard standings.allClosed(through: readsAsOf) else { return .waiting(forEpoch: readsAsOf) }
            verifiedThrough = readsAsOf
        }
        let modelEvent: ModelEvent
        switch event.modelEvent(in: &state) {
        case .success(let translated): modelEvent = translated
        case .failure(let rejection): return .rejected(rejection)
        }

        // Who: the actor's standing as of the last closed epoch, the same wherever the actor's
        // own partition is. Looked up before `apply` mutates the state; without a standings
        // table (the partition is the whole input) the state reads its own.
        sequence += 1
        let outcome: ApplyOutcome
        if let standings {
            var who = ActorStanding(score: state.configuration.unknownActorScore)
            if case .reaction = modelEvent, let known = standings.standing(of: event.hashes.actor, asOf: readsAsOf) { who = known }
            outcome = state.apply(modelEvent, standing: { _ in who })
        } else {
            outcome = state.applyReadingOwnStandings(modelEvent)
        }
        lastOutcome = outcome
        switch outcome {
        case .changed(let user):
            // A reaction only adds to its target's sums, so it can only lift the target's score
            // at every later time: a crossing already located stays a lower bound.
            if case .reaction = modelEvent {
                considerPublishing(user, wallClock: wallClock, emit: emit, trajectoryOnlyRose: true)
            } else {
                considerPublishing(user, wallClock: wallClock, emit: emit)
            }
        case .erased(let user):
            publishTombstone(user: Array(event.user), handle: user, emit: emit)
            // The standing is withdrawn now, valid from the current epoch: readers still reading
            // as of an earlier one keep the version before it, and no id waits for the close.
            if let standings {
                let withdrawn = InfluenceState.StandingUpdate(epoch: state.currentStandingEpoch(), standing: nil)
                standings.record(user: event.user, withdrawn)
                publish(.standing(user: event.user, withdrawn))
            }
        case .unknownUser:
            if event.kind == .erase {
                // Nothing about the user is here; still tell subscribers to forget them.
                publishTombstone(user: Array(event.user), handle: nil, emit: emit)
            }
        case .duplicate, .selfReactionIgnored, .unmatchedUndo:
            break
        }
        return .applied
    }

    /// Applies one event to a partition that is the whole input (files, evaluation, tests): it
    /// never waits. Returns why the event was rejected, or nil.
    public mutating func apply(_ event: DecodedEvent, wallClock: Int64, emit: (ScoreChange) -> Void) -> EventRejection? {
        switch apply(event, standings: nil, wallClock: wallClock, emit: emit) {
        case .applied: return nil
        case .rejected(let rejection): return rejection
        case .waiting: preconditionFailure("a partition that is the whole input never waits")
        }
    }

    /// Closes every standings epoch through `epoch` (when entering a later one, and when the
    /// input has ended or is idle past it): records the changed users' standings in `standings`
    /// and gives them, then the close marker, to `publish`.
    public mutating func closeStandings(through epoch: Int64, standings: StandingsTable?, publish: (StandingsRecord) -> Void) {
        guard epoch > state.standingsClosedThrough || state.standingsClosedThrough == .min else { return }
        state.closeStandings(through: epoch) { user, update in
            standings?.record(user: user, update)
            publish(.standing(user: user, update))
        }
        let closed = state.standingsClosedThrough
        standings?.markClosed(partition: Int(partition), through: closed, durable: durableClosedThrough)
        publish(.closed(through: closed, durable: durableClosedThrough))
    }

    /// Publishes what is due: changes held back by the per-user interval whose interval has
    /// ended, and changes caused by decay alone up to the partition's watermark.
    public mutating func tick(wallClock: Int64, emit: (ScoreChange) -> Void) {
        while schedule.pendingHead < schedule.pendingQueue.count, schedule.pendingQueue[schedule.pendingHead].due <= wallClock {
            let user = schedule.pendingQueue[schedule.pendingHead].user
            schedule.pendingHead += 1
            schedule.pendingSince[Int(user)] = false
            considerPublishing(UserHandle(rawValue: user), wallClock: wallClock, emit: emit)
        }
        if schedule.pendingHead > 4096, schedule.pendingHead * 2 > schedule.pendingQueue.count {
            schedule.pendingQueue.removeFirst(schedule.pendingHead)
            schedule.pendingHead = 0
        }
        locateRestoredCrossings(limit: Self.crossingsLocatedPerTick)
        let watermark = state.watermark
        while let next = schedule.crossings.first, next.time <= watermark {
            _ = schedule.crossings.popFirst()
            let index = Int(next.user)
            // A user has one live entry: the one matching crossingDue. Others are stale.
            guard index < schedule.crossingDue.count, schedule.crossingDue[index] == next.time else { continue }
            schedule.crossingDue[index] = PublishSchedule.crossingUnknown
            considerPublishing(UserHandle(rawValue: next.user), wallClock: wallClock, emit: emit)
        }
    }

    /// Publishes every change still held back by the interval (at shutdown, or before a partition
    /// is handed to another instance), so the latest value is never lost.
    public mutating func flushPending(emit: (ScoreChange) -> Void) {
        while schedule.pendingHead < schedule.pendingQueue.count {
            let user = schedule.pendingQueue[schedule.pendingHead].user
            schedule.pendingHead += 1
            schedule.pendingSince[Int(user)] = false
            considerPublishing(UserHandle(rawValue: user), wallClock: .max, emit: emit)
        }
        schedule.pendingQueue.removeAll()
        schedule.pendingHead = 0
    }

    /// Users whose crossing is located per tick after a restore: about 2–5 ms of work, so a
    /// partition of 10M users has them all within a few minutes without stalling its input (a
    /// step of decay takes hours of event time).
    static let crossingsLocatedPerTick = 4096

    /// Locates the decay crossings of up to `limit` users restored from the snapshot, in handle
    /// order, skipping those an event has scheduled since.
    private mutating func locateRestoredCrossings(limit: Int) {
        guard schedule.nextUnlocated < schedule.unlocatedEnd else { return }
        let end = Swift.min(schedule.unlocatedEnd, schedule.nextUnlocated + limit)
        for index in schedule.nextUnlocated..<end where lastPublished[index] > 0 {
            ensureCapacity(index)
            guard schedule.crossingDue[index] == PublishSchedule.crossingUnknown else { continue }
            scheduleDecayCrossing(UserHandle(rawValue: UInt32(index)), below: Double(lastPublished[index]))
        }
        schedule.nextUnlocated = end
    }

    /// Users restored from the snapshot whose decay crossing is still to be located.
    public var unlocatedCrossingCount: Int { schedule.unlocatedEnd - schedule.nextUnlocated }

    /// How many users have a change waiting for their interval to end.
    public var pendingCount: Int { schedule.pendingQueue.count - schedule.pendingHead }

    // MARK: Publishing

    private mutating func ensureCapacity(_ index: Int) {
        if index >= lastPublished.count {
            lastPublished.append(contentsOf: repeatElement(0, count: Swift.max(index + 1, lastPublished.count * 2, 1024) - lastPublished.count))
        }
        schedule.ensureCapacity(index)
    }

    /// Publishes the user's score when it has moved a step since the last published value and the
    /// per-user interval allows; holds it back for the interval's end when it does not; else
    /// keeps the user's decay crossing located.
    ///
    /// `trajectoryOnlyRose`: the user's score can only have risen at every time since the decay
    /// crossing was last located (a reaction to them was all that happened). That crossing is then
    /// a lower bound of the real one and is kept: when it comes due, ``tick(wallClock:emit:)``
    /// looks again. Locating a crossing costs about ten score evaluations, and with it on every
    /// event this was the costliest part of publishing.
    private mutating func considerPublishing(
        _ user: UserHandle, wallClock: Int64, emit: (ScoreChange) -> Void, trajectoryOnlyRose: Bool = false
    ) {
        let index = Int(user.rawValue)
        ensureCapacity(index)
        let score = state.score(of: user)
        let previous = Double(lastPublished[index])
        guard (score - previous).magnitude >= publishing.step else {
            if !trajectoryOnlyRose || schedule.crossingDue[index] == PublishSchedule.crossingUnknown {
                scheduleDecayCrossing(user, below: previous)
            }
            return
        }
        let last = schedule.lastPublishWall[index]
        if last != .min, wallClock < last + intervalMilliseconds {
            if !schedule.pendingSince[index] {
                schedule.pendingSince[index] = true
                schedule.pendingQueue.append((last + intervalMilliseconds, user.rawValue))
            }
            return
        }
        // The id's bytes straight from the directory (valid UTF-8: the decoder checked them), not
        // through a String.
        guard let card = state.scoreCard(of: user), let id = state.withUserID(of: user, { Array($0) }) else { return }
        lastPublished[index] = Float(card.score)
        schedule.lastPublishWall[index] = wallClock
        emit(ScoreChange(
            user: id, card: card, previous: previous, time: state.watermark,
            version: sequence, partition: partition, flagged: !state.flags(of: user).isEmpty))
        scheduleDecayCrossing(user, below: Double(lastPublished[index]))
    }

    /// Remembers when the user's score will have decayed one step below what was published.
    private mutating func scheduleDecayCrossing(_ user: UserHandle, below published: Double) {
        let index = Int(user.rawValue)
        let threshold = published - publishing.step
        guard threshold >= 1, let time = state.nextDecayCrossing(of: user, below: threshold, resolution: crossingResolution) else {
            schedule.crossingDue[index] = PublishSchedule.noCrossing
            return
        }
        guard schedule.crossingDue[index] != time else { return }
        schedule.crossingDue[index] = time
        schedule.crossings.push(time: time, user: user.rawValue)
    }

    private mutating func publishTombstone(user: [UInt8], handle: UserHandle?, emit: (ScoreChange) -> Void) {
        var previous = 0.0
        if let handle {
            let index = Int(handle.rawValue)
            ensureCapacity(index)
            previous = Double(lastPublished[index])
            lastPublished[index] = 0
            schedule.crossingDue[index] = PublishSchedule.crossingUnknown
        }
        emit(ScoreChange(user: user, card: nil, previous: previous, time: state.watermark, version: sequence, partition: partition))
    }

    // MARK: Reading ahead

    /// Reads ahead on the model's schedule (``InfluenceState/readAhead(_:before:)``) before
    /// applying event `index` of `previews`, and prefetches this processor's own per-user entries
    /// for the subjects of the run whose sums the model prefetched. Changes nothing.
    func readAhead(_ previews: UnsafeMutableBufferPointer<InfluenceState.EventPreview>, before index: Int) {
        let run = state.readAhead(previews, before: index)
        guard !run.isEmpty else { return }
        let upcoming = UnsafeMutableBufferPointer(rebasing: previews[run])
        lastPublished.prefetchEntries(forSubjectsOf: upcoming)
        schedule.crossingDue.prefetchEntries(forSubjectsOf: upcoming)
        schedule.lastPublishWall.prefetchEntries(forSubjectsOf: upcoming)
    }
}

extension Array where Element: BitwiseCopyable {
    /// Prefetches the entries of a per-user table (indexed by handle) for the guessed subjects of
    /// `previews` (``PartitionProcessor/readAhead(_:before:)``); changes nothing.
    func prefetchEntries(forSubjectsOf previews: UnsafeMutableBufferPointer<InfluenceState.EventPreview>) {
        withUnsafeBufferPointer { table in
            for preview in previews {
                guard let subject = preview.subjectGuess.map({ Int($0.rawValue) }), subject < table.count else { continue }
                resonance_prefetch(table.baseAddress! + subject)
            }
        }
    }
}
