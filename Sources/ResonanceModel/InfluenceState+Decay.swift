#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Forward decay: a term added at time t is stored as `w · 2^((t − L) / h)` and a sum is read at
/// time `now` as `stored · 2^(−(now − L) / h)`. One term per event, no sweep per tick.
extension InfluenceState {
    /// The landmark-relative growth of a term added at `time` under half-life `halfLife` (ms).
    @inline(__always)
    func growth(at time: Int64, halfLife: Double) -> Double {
        exp2(Double(time &- landmark) / halfLife)
    }

    /// The factor that turns a landmark-relative sum into its value at `time`.
    @inline(__always)
    func decay(at time: Int64, halfLife: Double) -> Double {
        exp2(-Double(time &- landmark) / halfLife)
    }

    /// The decay factors of the three half-lives at `time`: from the cache when `time` is the watermark
    /// it was filled for (the same computation, so the same bits), else computed.
    @inline(__always)
    func decayFactors(at time: Int64) -> DecayFactors {
        if time == decayCache.time, landmark == decayCache.landmark { return decayCache.factors }
        return DecayFactors(
            fast: decay(at: time, halfLife: parameters.fastHalfLife),
            lasting: decay(at: time, halfLife: parameters.lastingHalfLife),
            enduring: decay(at: time, halfLife: parameters.enduringHalfLife))
    }

    /// Refills the cache for the current watermark and landmark, if they moved.
    @inline(__always)
    mutating func refreshDecayCache() {
        guard watermark != decayCache.time || landmark != decayCache.landmark else { return }
        decayCache = DecayCache(time: watermark, landmark: landmark, factors: decayFactors(at: watermark))
    }

    /// Fixes the landmark at the first event, and moves it (rescaling every stored sum) when
    /// `time` runs more than 512 of the shortest half-lives past it, long before `2^(Δ/h)`
    /// could overflow. Triggered by event time alone, so replays rebase at the same events.
    mutating func advanceLandmark(to time: Int64) {
        if !hasLandmark {
            landmark = time
            hasLandmark = true
            return
        }
        guard Double(time &- landmark) / parameters.shortestHalfLife > 512 else { return }
        let fast = decay(at: time, halfLife: parameters.fastHalfLife)
        let lasting = decay(at: time, halfLife: parameters.lastingHalfLife)
        let pair = decay(at: time, halfLife: parameters.pairHalfLife)
        let enduring = decay(at: time, halfLife: parameters.enduringHalfLife)
        for index in 0..<networkRecords.count {
            networkRecords[index].established *= fast
            networkRecords[index].crowd *= fast
            networkRecords[index].reach *= fast
            networkRecords[index].reactions *= fast
            networkRecords[index].engagerScores *= fast
            networkRecords[index].posts *= fast
            networkRecords[index].lastingEstablished *= lasting
            networkRecords[index].lastingCrowd *= lasting
            networkRecords[index].enduring *= enduring
            networkRecords[index].activeDays *= enduring
        }
        for index in 0..<users.count {
            users[index].topContribution0 *= fast
            users[index].topContribution1 *= fast
            users[index].topContribution2 *= fast
            users[index].topContribution3 *= fast
        }
        rescaleTopics(fast: fast, enduring: enduring)
        pairs.rescale(by: pair)
        landmark = time
    }
}

/// The decay factors of the three half-lives sums are read with, at one time.
struct DecayFactors: Sendable {
    var fast = 0.0
    var lasting = 0.0
    var enduring = 0.0
}

/// See ``InfluenceState/decayCache``.
struct DecayCache: Sendable {
    var time: Int64 = .min
    var landmark: Int64 = 0
    var factors = DecayFactors()
}
