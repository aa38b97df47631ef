import ResonanceEngine

/// The world the attacks happen in, as contract-v1 events: an established, engaged target among a
/// community of established accounts, then each attack on day 30.
///
/// - Community: 540 members, each with 3 posts and reshared by 6 fans of their own on days 0–9,
///   so each has a standing of its own (a score well above the crowd threshold) before day 10.
/// - Target: 6 posts on days 10–29, reshared once each by three members (0–2) and liked by 40
///   followers (fresh accounts) in the same days, and a profile with 40 followers: a score of about
///   82 at day 31, above the 95th percentile but with room to grow.
///
/// How much an attack buys depends on how much established engagement the target already has, and
/// on whether the collector reports account ages (docs/VALIDATION.md has the table).
/// - Scores are compared at ``evaluationTime`` (day 31), after every attack, so decay is the same
///   with and without the attack: the difference is what the attack bought.
enum AttackWorld {
    static let day: Int64 = 86_400_000
    static let hour: Int64 = 3_600_000
    /// 2024-01-01 00:00 UTC: fixed, so every run is the same, and in the past, so the processor's
    /// bound on future event times never rejects anything.
    static let start: Int64 = 1_704_067_200_000
    /// When the attacks start: day 30.
    static let attackStart = start + 30 * day
    /// When scores are read: day 31.
    static let evaluationTime = start + 31 * day
    static let target = "target"
    static let communitySize = 540

    static func member(_ index: Int) -> String { "member-\(index)" }

    static func reaction(
        _ id: String, _ action: String, actor: String, target: String = target, time: Int64, actorCreated: Int64? = nil
    ) -> EncodedEvent {
        EventJSON.reaction(id: id, network: "twitter", time: time, action: action, actor: actor, target: target, actorCreated: actorCreated)
    }

    /// Everything before the attacks, with the target reshared by three established members.
    static func baseline() -> [EncodedEvent] { baseline(engagedMembers: 3) }

    /// Everything before the attacks, with the target reshared by `engagedMembers` members.
    static func baseline(engagedMembers: Int) -> [EncodedEvent] {
        var events: [EncodedEvent] = []
        for index in 0..<communitySize {
            let offset = Int64(index) * 1_000
            for post in 0..<3 {
                events.append(EventJSON.post(
                    id: "\(member(index))/post\(post)", network: "twitter", time: start + Int64(post * 3) * day + offset,
                    author: member(index), content: "\(member(index))-\(post)"))
            }
            for fan in 0..<6 {
                events.append(reaction(
                    "\(member(index))/fan\(fan)", "reshare", actor: "fan-\(index)-\(fan)", target: member(index),
                    time: start + Int64(fan) * day + 3 * hour + offset))
            }
        }
        events.append(EventJSON.profile(id: "target/profile", network: "twitter", time: start + 10 * day, user: target, followers: 40, following: 100))
        for post in 0..<6 {
            events.append(EventJSON.post(
                id: "target/post\(post)", network: "twitter", time: start + Int64(10 + 3 * post) * day, author: target, content: "target-\(post)"))
        }
        for index in 0..<engagedMembers {
            events.append(reaction("target/reshare/\(index)", "reshare", actor: member(index), time: start + 10 * day + Int64(index) * 15 * hour))
        }
        for follower in 0..<40 {
            events.append(reaction("target/like/\(follower)", "like", actor: "follower-\(follower)", time: start + 10 * day + Int64(follower) * 11 * hour))
        }
        return sorted(events)
    }

    /// When the collector reports account ages (`actor_created`): the ring's accounts were made
    /// the hour before the attack, the community's a year before the world starts.
    enum AccountAges {
        case unreported
        case reported

        func ringAccountCreated() -> Int64? { self == .reported ? AttackWorld.attackStart - AttackWorld.hour : nil }
        func memberAccountCreated() -> Int64? { self == .reported ? AttackWorld.start - 365 * AttackWorld.day : nil }
    }

    /// 500 fresh accounts each reshare the target 20 times within one hour.
    static func botRing(_ ages: AccountAges = .unreported) -> [EncodedEvent] {
        var events: [EncodedEvent] = []
        for round in 0..<20 {
            for bot in 0..<500 {
                let time = attackStart + Int64(round) * 170_000 + Int64(bot) * 300
                events.append(reaction("ring/\(bot)/\(round)", "reshare", actor: "ring-\(bot)", time: time, actorCreated: ages.ringAccountCreated()))
            }
        }
        return events
    }

    /// 500 established, engaged accounts (members 40–539, who never engaged the target before)
    /// each reshare the target once, in the same hour as the ring.
    static func establishedReshares(_ ages: AccountAges = .unreported) -> [EncodedEvent] {
        (40..<540).map { index in
            reaction(
                "control/\(index)", "reshare", actor: member(index), time: attackStart + Int64(index - 40) * 7_000,
                actorCreated: ages.memberAccountCreated())
        }
    }

    /// 10,000 bought followers: a follow from each of 10,000 fresh accounts during one day, and
    /// the profile's follower count up by 10,000.
    static func boughtFollowers() -> [EncodedEvent] {
        var events = (0..<10_000).map { index in
            reaction("bought/\(index)", "follow", actor: "bought-\(index)", time: attackStart + Int64(index) * 8_000)
        }
        events.append(EventJSON.profile(
            id: "target/profile/bought", network: "twitter", time: attackStart + 23 * hour, user: target, followers: 10_040, following: 100))
        return events
    }

    /// The target reacts to its own posts 1,000 times (reshares, replies and likes) in one day.
    static func selfReactions() -> [EncodedEvent] {
        let actions = ["reshare", "reply", "like"]
        return (0..<1_000).map { index in
            reaction("self/\(index)", actions[index % 3], actor: target, time: attackStart + Int64(index) * 80_000)
        }
    }

    /// One superfan, an established member who had not engaged the target before, likes it 500
    /// times in one day.
    static func superfan() -> [EncodedEvent] {
        (0..<500).map { index in
            reaction("superfan/\(index)", "like", actor: member(35), time: attackStart + Int64(index) * 170_000)
        }
    }

    /// Stable sort by event time, as `resonance produce` orders a replay.
    static func sorted(_ events: [EncodedEvent]) -> [EncodedEvent] {
        events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    /// Every event delivered five times: each once more right away (a retried send), then the
    /// whole stream three more times (a consumer that restarted from the beginning, three times).
    static func deliveredFiveTimes(_ events: [EncodedEvent]) -> [EncodedEvent] {
        var delivered: [EncodedEvent] = []
        for event in events { delivered += [event, event] }
        for _ in 0..<3 { delivered += events }
        return delivered
    }
}
