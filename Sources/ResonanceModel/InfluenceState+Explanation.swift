/// Explanations: why a user has their score.
extension InfluenceState {
    /// The breakdown of a user's score at the watermark by factor and network, with the top
    /// contributing engagers; nil for a user not tracked here.
    public func explain(_ user: UserHandle) -> ScoreExplanation? {
        guard isTracked(user), hasLandmark, let id = userID(of: user) else { return nil }
        let breakdown = breakdown(of: user, at: watermark)
        let networks = breakdown.networks.map { network in
            NetworkExplanation(
                network: networkName(NetworkID(rawValue: network.network)),
                score: combinedScore(raw: network.raw, signal: network.lastingSignal),
                whereWeight: network.weight,
                establishedEngagement: network.established,
                crowdEngagement: network.crowd,
                crowdEffective: network.crowdEffective,
                lastingEngagement: network.lastingEstablished,
                enduringEngagement: network.enduring,
                activeDays: network.activeDays,
                posts: network.posts,
                whatFactor: network.what,
                reach: network.reach,
                reactions: network.reactions,
                impact: network.reactions > 0 ? network.engagerScores / network.reactions : 0,
                raw: network.raw)
        }
        let fast = decay(at: watermark, halfLife: parameters.fastHalfLife)
        let record = users[Int(user.rawValue)]
        var engagers: [EngagerContribution] = []
        for slot in 0..<UserRecord.engagerCount {
            let entry = record.engager(slot)
            guard entry.handle != 0, let engagerID = userID(of: UserHandle(rawValue: entry.handle - 1)) else { continue }
            engagers.append(EngagerContribution(userID: engagerID, contribution: entry.contribution * fast))
        }
        engagers.sort { ($0.contribution, $1.userID) > ($1.contribution, $0.userID) }
        let engagementScore = parameters.scale.score(raw: breakdown.raw)
        let score = combinedScore(raw: breakdown.raw, signal: breakdown.lastingSignal)
        return ScoreExplanation(
            userID: id, score: score, raw: breakdown.raw, engagementScore: engagementScore,
            lastingSignal: breakdown.lastingSignal, lastingBonus: score - engagementScore,
            scale: parameters.scale, networks: networks, topEngagers: engagers, time: watermark)
    }
}
