/// Reading scores at the watermark (the partition's "now").
extension InfluenceState {
    /// The user's score, 1–100, at the watermark; 1 for a user with no data here.
    public func score(of user: UserHandle) -> Double {
        guard hasLandmark else { return 1 }
        return score(of: user, at: watermark)
    }

    /// The user's score at a later event time, by decay alone (what the score will be at `time` if
    /// no event for the user arrives before then). Times before the watermark read as the watermark.
    public func score(of user: UserHandle, at time: Int64) -> Double {
        guard hasLandmark else { return 1 }
        let terms = rawTerms(of: user, at: Swift.max(time, watermark))
        return combinedScore(raw: terms.raw, signal: terms.signal)
    }

    /// The user's raw engagement at the watermark (the scale's input; for calibration).
    public func rawEngagement(of user: UserHandle) -> Double {
        guard hasLandmark else { return 0 }
        return rawTerms(of: user, at: watermark).raw
    }

    /// A copy for answering questions (scores, score cards, explanations, the tracked users)
    /// while this state goes on taking events.
    ///
    /// It leaves out the dedupe window, the undo log and the pair memory: no read uses them,
    /// and every event writes them at random places. A plain copy would share their pages, so for
    /// as long as it lived, the state's next write to each page would duplicate that page first:
    /// tens of megabytes of copying per copy taken, which a reader taking one every second turns
    /// into a steady cost on the thread that applies events. What the copy keeps (users, their
    /// network records, the ids) is what reads need; those pages are still shared, and each costs
    /// one duplication when the state next writes it.
    public func forReading() -> InfluenceState {
        var copy = self
        copy.recent = RecentEventWindow(capacity: 1)
        copy.undoEntries = PagedArray(pageShift: 0, filler: UndoEntry())
        copy.pairs = PairMemory(capacity: PairMemory.ways)
        copy.contentTopics = ContentTopics(capacity: ContentTopics.ways)
        copy.isReadingCopy = true
        return copy
    }

    /// How many handles this state has issued (tracked users, actors only seen acting, erased
    /// users); handles are `0..<internedUserCount`.
    public var internedUserCount: Int { users.count }

    /// True when the user has subject data here (reactions received, posts or a profile).
    public func isTracked(_ user: UserHandle) -> Bool {
        Int(user.rawValue) < users.count && users[Int(user.rawValue)].isTracked
    }

    /// True when the user has received at least one reaction that still counts.
    public func hasReceivedReactions(_ user: UserHandle) -> Bool {
        guard isTracked(user) else { return false }
        var link = users[Int(user.rawValue)].firstNetwork
        while link != 0 {
            let record = networkRecords[Int(link - 1)]
            if record.reactions > 0 { return true }
            link = record.next
        }
        return false
    }

    /// The user's score and sub-scores at the watermark; nil for a user not tracked here.
    public func scoreCard(of user: UserHandle) -> ScoreCard? {
        guard isTracked(user), hasLandmark else { return nil }
        var reach = 0.0
        var reactions = 0.0
        var posts = 0.0
        var engagerScores = 0.0
        var networks: [String: Double] = [:]
        let total = forEachNetwork(of: user, at: watermark) { network in
            reach += network.reach
            reactions += network.reactions
            posts += network.posts
            engagerScores += network.engagerScores
            networks[networkName(NetworkID(rawValue: network.network)), default: 1] =
                combinedScore(raw: network.raw, signal: network.lastingSignal)
        }
        return ScoreCard(
            score: combinedScore(raw: total.raw, signal: total.lastingSignal),
            reach: reach,
            amplification: reactions / Swift.max(posts, 1),
            impact: reactions > 0 ? engagerScores / reactions : 0,
            networks: networks,
            // A topic that has decayed to the floor is not news: it would publish as 1.00.
            topics: topicScoreTable(of: user).filter { $0.value >= 1.005 })
    }

    /// Calls `body` with every tracked user, in handle order (for exports).
    public func forEachTrackedUser(_ body: (UserHandle) throws -> Void) rethrows {
        for index in 0..<users.count where users[index].isTracked {
            try body(UserHandle(rawValue: UInt32(index)))
        }
    }

    /// The raw engagement of every user who has received at least one reaction: the population
    /// ``ScoreScale/calibrate(raws:targetMean:targetP95:)`` fits the scale to.
    public func calibrationSample() -> [Double] {
        var raws: [Double] = []
        forEachTrackedUser { user in
            if hasReceivedReactions(user) { raws.append(rawEngagement(of: user)) }
        }
        return raws
    }

    /// The half-life of the 30-day sums (`half_life_days`), in milliseconds of event time.
    public var halfLifeMilliseconds: Double { parameters.fastHalfLife }

    /// The event time at which the user's score, by decay alone, first falls below `value`:
    /// the watermark when it already is below, nil when decay never takes it there (the long-lasting
    /// bonus keeps it at or above `value`). Accurate to `resolution` milliseconds: the answer t has
    /// score(t) < value and score(t − resolution) ≥ value, so it is never early and at most
    /// `resolution` late.
    ///
    /// The engine's publisher keeps users in a timer index keyed by this time, so decay-only
    /// changes are published without sweeping users. Each probe is a whole score evaluation (a
    /// decay per half-life and network, a logarithm, a power), so the search spends few: it
    /// gallops to a bracket, then aims at the crossing by interpolating between the bracket's
    /// scores and probes one `resolution` to the far side of the estimate, which closes the
    /// bracket at once when the estimate is that accurate. Over a bracket of a few days the score
    /// is nearly linear in time, so it usually is; a probe pair that does not at least halve the
    /// bracket is followed by a bisection step, so the search spends at most three evaluations per
    /// halving of the bracket where bisection spends one, and usually far fewer in all.
    public func nextDecayCrossing(of user: UserHandle, below value: Double, resolution: Int64 = 1) -> Int64? {
        guard hasLandmark, !value.isNaN else { return nil }
        let now = score(of: user, at: watermark)
        if now < value { return watermark }
        // Far enough ahead, everything that decays is gone and only profile counts remain: the
        // score is then 1 plus the lasting bonus, which is at most `lastingMaxPoints`. Only a
        // value within that reach needs the far future evaluated to know whether it is ever crossed.
        let horizon = Int64(Swift.min(4000 * Swift.max(parameters.fastHalfLife, parameters.lastingHalfLife, parameters.enduringHalfLife), 4e18))
        let farFuture = watermark.addingReportingOverflow(horizon)
        let limit = farFuture.overflow ? Int64.max : farFuture.partialValue
        if value <= 1 + configuration.lastingMaxPoints + 1e-9, score(of: user, at: limit) >= value { return nil }
        var step = Int64(Swift.max(parameters.fastHalfLife / 16, 1))
        var low = watermark, lowScore = now
        var high = watermark, highScore = now
        while true {
            let next = high.addingReportingOverflow(step)
            high = next.overflow || next.partialValue > limit ? limit : next.partialValue
            highScore = score(of: user, at: high)
            if highScore < value || high == limit { break }
            low = high
            lowScore = highScore
            step = step > Int64.max / 4 ? step : step * 2
        }
        if highScore >= value { return nil }
        // Invariant: score(low) ≥ value > score(high).
        // Evaluates the score at `time`, strictly inside the bracket, and moves the end of the
        // bracket on that side there; true when `time` is past the crossing.
        func narrow(to time: Int64) -> Bool {
            let timeScore = score(of: user, at: time)
            if timeScore < value {
                high = time
                highScore = timeScore
                return true
            }
            low = time
            lowScore = timeScore
            return false
        }
        let resolution = Swift.max(resolution, 1)
        var bisect = false
        while high - low > resolution {
            let width = high - low
            // The chord between the bracket's ends places the crossing at `fraction` of the way;
            // scores that are not finite (a corrupt state) leave only bisection.
            let fraction = (lowScore - value) / (lowScore - highScore)
            if bisect || !(fraction >= 0 && fraction <= 1) {
                _ = narrow(to: low + width / 2)
                bisect = false
                continue
            }
            // The estimate, strictly inside the bracket, then one resolution to its far side.
            let estimate = low + Swift.min(Swift.max(Int64((Double(width) * fraction).rounded()), 1), width - 1)
            if narrow(to: estimate) {
                if estimate - resolution > low { _ = narrow(to: estimate - resolution) }
            } else {
                if estimate + resolution < high { _ = narrow(to: estimate + resolution) }
            }
            bisect = (high - low) * 2 > width
        }
        return high
    }
}
