import ResonanceEngine
import ResonanceModel

/// The attack suite's streams, injected into a data set before each cutoff on users drawn with a
/// fixed seed among those with few reactions (`resonance evaluate --attack`): a ring of fresh
/// accounts, bought followers, a superfan's repeats, self-reactions and duplicate deliveries. The
/// attacked users' real future is unchanged, so a ranking that lifts them is wrong, and the
/// evaluation after the attack measures by how much.
public struct AttackPlan: Sendable {
    /// How the users are chosen and how the attacks are reported.
    public struct Options: Sendable, Equatable {
        /// Users attacked before each cutoff.
        public var usersPerCutoff = 50
        /// Only users with at least one and at most this many counted reactions before the cutoff
        /// are attacked: ordinary users, for whom an attack is worth the most.
        public var maxReactions = 3
        /// The seed of the draw.
        public var seed: UInt64 = 1
        /// Whether the reactions carry their accounts' creation time (`actor_created`), as a
        /// collector that reads it from the platform sends it.
        public var reportAccountAges = true

        /// The defaults.
        public init() {}
    }

    /// The events to inject, in no particular order.
    public private(set) var events: [EncodedEvent] = []
    /// The users attacked before each cutoff.
    public private(set) var targets: [Int64: [String]] = [:]

    static let hour: Int64 = 3_600_000
    /// Accounts in the ring, and reshares by each (the attack suite's sizes).
    static let ringAccounts = 500
    static let ringRounds = 20
    static let boughtFollowers = 10_000
    static let superfanLikes = 500
    static let selfReactions = 1_000
    /// Each superfan like and the bought profile are delivered this many times.
    static let deliveries = 5

    /// Plans the attacks on `log` for `cutoffs`: each cutoff's users are drawn among those with
    /// 1…`maxReactions` counted reactions before it and not attacked for an earlier cutoff, and
    /// attacked in the 24 hours before it.
    public static func make(log: EventLog, cutoffs: [Int64], options: Options) -> AttackPlan {
        var plan = AttackPlan()
        plan.targets = chooseTargets(log: log, cutoffs: cutoffs, options: options)
        for cutoff in cutoffs.sorted() {
            for user in plan.targets[cutoff] ?? [] {
                plan.events += attack(on: user, before: cutoff, reportAccountAges: options.reportAccountAges)
            }
        }
        return plan
    }

    /// The users attacked before each cutoff, in user-index order.
    static func chooseTargets(log: EventLog, cutoffs: [Int64], options: Options) -> [Int64: [String]] {
        var targets: [Int64: [String]] = [:]
        guard options.maxReactions >= 1, options.usersPerCutoff >= 1 else { return targets }
        var random = SplitMix64(seed: options.seed)
        var attacked = Set<Int>()
        for cutoff in cutoffs.sorted() {
            var received = [Int](repeating: 0, count: log.userIDs.count)
            for interaction in log.interactions where interaction.time < cutoff && !interaction.injected {
                received[Int(interaction.target)] += 1
            }
            var candidates = received.indices.filter { (1...options.maxReactions).contains(received[$0]) && !attacked.contains($0) }
            // A partial Fisher–Yates shuffle: the first `count` candidates are the draw.
            let count = Swift.min(options.usersPerCutoff, candidates.count)
            for index in 0..<count {
                let other = index + Int(random.next() % UInt64(candidates.count - index))
                candidates.swapAt(index, other)
            }
            let chosen = candidates.prefix(count).sorted()
            attacked.formUnion(chosen)
            targets[cutoff] = chosen.map { log.userIDs[$0] }
        }
        return targets
    }

    /// Every attack of the suite on `user`, within the 24 hours before `cutoff`.
    static func attack(on user: String, before cutoff: Int64, reportAccountAges: Bool) -> [EncodedEvent] {
        let dayStart = cutoff - 24 * hour
        let tag = "attack/\(cutoff)/\(user)"
        var events: [EncodedEvent] = []
        func reaction(_ id: String, _ action: String, actor: String, time: Int64, created: Int64?) -> EncodedEvent {
            EventJSON.reaction(
                id: "\(tag)/\(id)", network: "twitter", time: time, action: action, actor: actor, target: user,
                actorCreated: reportAccountAges ? created : nil)
        }
        // A ring of fresh accounts, made the hour before, each resharing 20 times within an hour.
        let ringStart = cutoff - 12 * hour
        for round in 0..<ringRounds {
            for account in 0..<ringAccounts {
                let time = ringStart + Int64(round * ringAccounts + account) * (hour / Int64(ringRounds * ringAccounts))
                events.append(reaction("ring/\(account)/\(round)", "reshare", actor: "\(tag)/ring-\(account)", time: time, created: ringStart - hour))
            }
        }
        // Bought followers: a follow from each of 10,000 accounts made the day before, and the
        // profile's follower count.
        for account in 0..<boughtFollowers {
            let time = dayStart + Int64(account) * (22 * hour / Int64(boughtFollowers))
            events.append(reaction("bought/\(account)", "follow", actor: "\(tag)/bought-\(account)", time: time, created: dayStart - hour))
        }
        let profile = EventJSON.profile(
            id: "\(tag)/profile", network: "twitter", time: cutoff - hour, user: user, followers: Int64(boughtFollowers), following: 100)
        events += Array(repeating: profile, count: deliveries)
        // A superfan, an account a year old, liking 500 times in a day; each like delivered five times.
        for like in 0..<superfanLikes {
            let time = dayStart + 2 * hour + Int64(like) * (18 * hour / Int64(superfanLikes))
            let event = reaction("superfan/\(like)", "like", actor: "\(tag)/superfan", time: time, created: dayStart - 365 * 24 * hour)
            events += Array(repeating: event, count: deliveries)
        }
        // The user reacting to itself.
        let actions = ["reshare", "reply", "like"]
        for index in 0..<selfReactions {
            let time = dayStart + Int64(index) * (23 * hour / Int64(selfReactions))
            events.append(EventJSON.reaction(
                id: "\(tag)/self/\(index)", network: "twitter", time: time, action: actions[index % 3], actor: user, target: user))
        }
        return events
    }
}
