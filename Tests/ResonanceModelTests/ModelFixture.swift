import ResonanceModel

/// A small driver for tests: names users by string, numbers event ids, and plays a global score
/// table for actors that live in other partitions.
struct ModelFixture {
    static let day: Int64 = 86_400_000
    static let hour: Int64 = 3_600_000
    /// 2024-01-01T00:00:00Z: tests start here.
    static let start: Int64 = 1_704_067_200_000

    var state: InfluenceState
    /// Standing of actors tracked in other partitions (the engine's global score table).
    var remote: [UserHandle: ActorStanding] = [:]
    var nextID = 0
    var now: Int64 = ModelFixture.start

    init(configuration: ModelConfiguration = ModelConfiguration()) {
        state = try! InfluenceState(configuration: configuration)
    }

    mutating func user(_ id: String) -> UserHandle { state.intern(userID: id)! }

    mutating func network(_ name: String) -> NetworkID { state.internNetwork(named: name)! }

    mutating func freshID() -> UInt64 {
        nextID += 1
        return StableHash.fnv1a64("event-\(nextID)")
    }

    /// Applies an event with the fixture's remote table.
    @discardableResult
    mutating func apply(_ event: ModelEvent) -> ApplyOutcome {
        let remote = self.remote
        return state.apply(event) { remote[$0] }
    }

    /// A reaction event (not applied).
    mutating func reactionEvent(
        _ actor: String, _ action: String, _ target: String, network: String = "twitter", at time: Int64? = nil,
        actorCreated: Int64? = nil, content: String? = nil
    ) -> ModelEvent {
        let reaction = Reaction(
            idHash: freshID(), time: time ?? now, network: self.network(network),
            action: state.action(named: action)!, actor: user(actor), target: user(target),
            contentHash: content.map { StableHash.fnv1a64($0) }, actorCreated: actorCreated)
        return .reaction(reaction)
    }

    @discardableResult
    mutating func react(
        _ actor: String, _ action: String, _ target: String, network: String = "twitter", at time: Int64? = nil,
        actorCreated: Int64? = nil, content: String? = nil
    ) -> ApplyOutcome {
        let event = reactionEvent(actor, action, target, network: network, at: time, actorCreated: actorCreated, content: content)
        return apply(event)
    }

    /// A post of content `content` about `topics`.
    @discardableResult
    mutating func post(_ author: String, content: String, topics: [String], network: String = "twitter", at time: Int64? = nil) -> ApplyOutcome {
        let ids = topics.map { state.internTopic(named: $0)! }
        return apply(.post(Post(
            idHash: freshID(), time: time ?? now, network: self.network(network), author: user(author),
            contentHash: StableHash.fnv1a64(content), topics: TopicList(ids)!)))
    }

    /// The user's scores by topic.
    func topicScores(_ id: String) -> [String: Double] {
        guard let handle = state.handle(of: id) else { return [:] }
        return state.topicScoreTable(of: handle)
    }

    @discardableResult
    mutating func post(_ author: String, network: String = "twitter", at time: Int64? = nil) -> ApplyOutcome {
        let id = freshID()
        return apply(.post(Post(idHash: id, time: time ?? now, network: self.network(network), author: user(author), contentHash: id)))
    }

    @discardableResult
    mutating func profile(
        _ user: String, followers: UInt32, following: UInt32 = 0, lists: UInt32 = 0, flags: ActorFlags = [],
        network: String = "twitter"
    ) -> ApplyOutcome {
        let event = Profile(
            idHash: freshID(), time: now, network: self.network(network), user: self.user(user),
            followers: followers, following: following, lists: lists, flags: flags)
        return apply(.profile(event))
    }

    /// Makes `actor` an established account living in another partition, with this score.
    mutating func establish(_ actor: String, score: Double, flagged: Bool = false) {
        remote[user(actor)] = ActorStanding(score: score, flagged: flagged)
    }

    func score(_ id: String) -> Double {
        guard let handle = state.handle(of: id) else { return 1 }
        return state.score(of: handle)
    }

    /// The score `id` will have at `time` by decay alone.
    func score(_ id: String, at time: Int64) -> Double {
        guard let handle = state.handle(of: id) else { return 1 }
        return state.score(of: handle, at: time)
    }

    /// An established, engaged target: `engagers` accounts of score 50 in other partitions reshare
    /// it over the past `engagers` days, and it posts once a week.
    mutating func buildEstablishedTarget(_ target: String, engagers: Int) {
        for index in 0..<engagers {
            establish("fan-\(target)-\(index)", score: 50)
        }
        let base = now
        for index in 0..<engagers {
            let time = base - Int64(engagers - index) * ModelFixture.day
            if index % 7 == 0 { post(target, at: time) }
            react("fan-\(target)-\(index)", "reshare", target, at: time)
        }
    }
}
