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
        let breakdown = breakdown(of: user, at: watermark)
        var reach = 0.0
        var reactions = 0.0
        var posts = 0.0
        var engagerScores = 0.0
        var networks: [String: Double] = [:]
        for network in breakdown.networks {
            reach += network.reach
            reactions += network.reactions
            posts += network.posts
            engagerScores += network.engagerScores
            networks[networkName(NetworkID(rawValue: network.network)), default: 1] =
                combinedScore(raw: network.raw, signal: network.lastingSignal)
        }
        return ScoreCard(
            score: combinedScore(raw: breakdown.raw, signal: breakdown.lastingSignal),
            reach: reach,
            amplification: reactions / Swift.max(posts, 1),
            impact: reactions > 0 ? engagerScores / reactions : 0,
            networks: networks)
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

    /// The event time at which the user's score, by decay alone, first falls below `value`:
    /// the watermark when it already is below, nil when decay never takes it there (the long-lasting
    /// bonus keeps it at or above `value`). Accurate to `resolution` milliseconds: the answer t has
    /// score(t) < value and score(t − resolution) ≥ value, so it is never early and at most
    /// `resolution` late.
    ///
    /// The engine's publisher keeps users in a timer index keyed by this time, so decay-only
    /// changes are published without sweeping users. Each probe is a whole score evaluation, so
    /// a coarser resolution is cheaper: from a range of days, every halving of the resolution
    /// costs one more.
    public func nextDecayCrossing(of user: UserHandle, below value: Double, resolution: Int64 = 1) -> Int64? {
        guard hasLandmark else { return nil }
        if score(of: user, at: watermark) < value { return watermark }
        // Far enough ahead, everything that decays is gone and only profile counts remain.
        let horizon = Int64(Swift.min(4000 * Swift.max(parameters.fastHalfLife, parameters.lastingHalfLife), 4e18))
        let farFuture = watermark.addingReportingOverflow(horizon)
        let limit = farFuture.overflow ? Int64.max : farFuture.partialValue
        if score(of: user, at: limit) >= value { return nil }
        var step = Int64(Swift.max(parameters.fastHalfLife / 16, 1))
        var low = watermark
        var high = watermark
        while true {
            let next = high.addingReportingOverflow(step)
            high = next.overflow || next.partialValue > limit ? limit : next.partialValue
            if score(of: user, at: high) < value || high == limit { break }
            low = high
            step = step > Int64.max / 4 ? step : step * 2
        }
        // Invariant: score(low) ≥ value > score(high).
        let resolution = Swift.max(resolution, 1)
        while high - low > resolution {
            let middle = low + (high - low) / 2
            if score(of: user, at: middle) < value { high = middle } else { low = middle }
        }
        return high
    }
}
