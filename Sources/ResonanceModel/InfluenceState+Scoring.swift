#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The score formula (docs/SCORING.md):
///
///     what_n  = (posts_reference / (posts_reference + posts_n))^posts_exponent
///     raw_n   = where_n · (established_n · what_n + crowd_scale · ln(1 + crowd_n · what_n / crowd_scale)
///                          + lasting_established_n
///                          + enduring_weight · enduring_n + active_day_weight · active_days_n)
///     raw     = Σ_n raw_n
///     signal  = Σ_n (followers_n + following_weight · following_n + list_weight · lists_n + lasting_crowd_n)
///     bonus   = lasting_max_points · min(1, log10(1 + signal) / lasting_saturation_decades)
///     base    = 100 − 99 · (1 + raw / scale_reference)^(−scale_exponent)
///     score   = base + bonus · (100 − base) / 99
///
/// Every sum decays with time, so the score only falls between events (posts_exponent < 1 keeps
/// the *What* factor's recovery slower than the engagement's decay).
extension InfluenceState {
    /// One network record's raw engagement and lasting signal, decayed to a time.
    @inline(__always)
    func networkTerms(_ record: NetworkRecord, _ decay: DecayFactors) -> (raw: Double, signal: Double) {
        let configuration = configuration
        let fast = decay.fast
        let posts = record.posts * fast
        // No posts: the ratio is exactly 1, and so is its power (IEEE pow(1, y) = 1).
        let what = posts == 0 ? 1 : pow(configuration.postsReference / (configuration.postsReference + posts), configuration.postsExponent)
        let crowd = record.crowd * fast * what
        let crowdEffective = configuration.crowdScale * log1p(crowd / configuration.crowdScale)
        let enduring = (configuration.enduringWeight * record.enduring + configuration.activeDayWeight * record.activeDays) * decay.enduring
        let raw = networkWeights[Int(record.network)]
            * (record.established * fast * what + crowdEffective + record.lastingEstablished * decay.lasting + enduring)
        let signal = Double(record.followers) + configuration.followingWeight * Double(record.following)
            + configuration.listWeight * Double(record.lists) + record.lastingCrowd * decay.lasting
        return (raw, signal)
    }

    /// The user's raw engagement and lasting signal at `time` (≥ the landmark).
    func rawTerms(of user: UserHandle, at time: Int64) -> (raw: Double, signal: Double) {
        let index = Int(user.rawValue)
        guard index < users.count else { return (0, 0) }
        var link = users[index].firstNetwork
        if link == 0 { return (0, 0) }
        let factors = decayFactors(at: time)
        var raw = 0.0
        var signal = 0.0
        while link != 0 {
            let record = networkRecords[Int(link - 1)]
            let terms = networkTerms(record, factors)
            raw += terms.raw
            signal += terms.signal
            link = record.next
        }
        return (raw, signal)
    }

    /// The score of raw engagement plus the capped bonus of long-lasting signals.
    @inline(__always)
    func combinedScore(raw: Double, signal: Double) -> Double {
        let base = parameters.scale.score(raw: raw)
        if !(signal > 0) { return base }
        let bonus = configuration.lastingMaxPoints
            * Swift.min(1, log10(1 + signal) / configuration.lastingSaturationDecades)
        return base + bonus * (100 - base) / 99
    }

    /// The full breakdown of a user's score at a time.
    func breakdown(of user: UserHandle, at time: Int64) -> ScoreBreakdown {
        var networks: [ScoreBreakdown.Network] = []
        let (raw, lastingSignal) = forEachNetwork(of: user, at: time) { networks.append($0) }
        return ScoreBreakdown(networks: networks, raw: raw, lastingSignal: lastingSignal)
    }

    /// Calls `body` with each network's part of a user's breakdown at a time, in chain order, and
    /// returns the sums of their raw scores and lasting signals: the breakdown without an array
    /// (a score card is made for every published change).
    func forEachNetwork(
        of user: UserHandle, at time: Int64, _ body: (ScoreBreakdown.Network) -> Void
    ) -> (raw: Double, lastingSignal: Double) {
        var raw = 0.0
        var lastingSignal = 0.0
        let index = Int(user.rawValue)
        guard index < users.count else { return (raw, lastingSignal) }
        let factors = decayFactors(at: time)
        let fast = factors.fast
        var link = users[index].firstNetwork
        while link != 0 {
            let record = networkRecords[Int(link - 1)]
            let posts = record.posts * fast
            let what = pow(configuration.postsReference / (configuration.postsReference + posts), configuration.postsExponent)
            let terms = networkTerms(record, factors)
            body(
                ScoreBreakdown.Network(
                    network: record.network, weight: networkWeights[Int(record.network)],
                    established: record.established * fast, crowd: record.crowd * fast,
                    crowdEffective: configuration.crowdScale * log1p(record.crowd * fast * what / configuration.crowdScale),
                    lastingEstablished: record.lastingEstablished * factors.lasting, lastingCrowd: record.lastingCrowd * factors.lasting,
                    enduring: record.enduring * factors.enduring, activeDays: record.activeDays * factors.enduring,
                    posts: posts, what: what, reach: record.reach * fast, reactions: record.reactions * fast,
                    engagerScores: record.engagerScores * fast, lastingSignal: terms.signal, raw: terms.raw))
            raw += terms.raw
            lastingSignal += terms.signal
            link = record.next
        }
        return (raw, lastingSignal)
    }
}
