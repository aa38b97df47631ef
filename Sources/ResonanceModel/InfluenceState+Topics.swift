#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Topic influence: a reaction to a post that carried topics credits its target (the author, or
/// whoever passed the post on) in those topics, with the reaction's own weight (*Who*, *How*,
/// repeat and account-age factors, *Where*) into the same terms as the overall score's
/// engagement (docs/SCORING.md, "Topics").
///
/// Each user keeps at most ``topicsPerUser`` topics, in a block of slots allocated at their
/// first topic. A credit to a topic the user does not hold takes a free slot, or else replaces
/// the slot with the least 30-day engagement when the credit alone outweighs it (the rule the
/// top-engager lists follow): a topic the user stopped drawing engagement in fades and makes
/// room, and one reaction cannot push out a topic that many built.
extension InfluenceState {
    /// The most topics kept per user.
    public static let topicsPerUser = 8

    /// The id of a topic name, interning it if new. Nil for an empty name, one over
    /// ``maxTopicNameBytes`` bytes, or when `topic_capacity` topics are already interned.
    public mutating func internTopic(named name: UnsafeRawBufferPointer) -> TopicID? {
        let bytes = Array(name)
        if let id = topicIndex[bytes] { return TopicID(rawValue: id) }
        guard !bytes.isEmpty, bytes.count <= InfluenceState.maxTopicNameBytes, topicNames.count < configuration.topicCapacity else { return nil }
        topicNames.append(bytes)
        topicIndex[bytes] = UInt32(topicNames.count - 1)
        return TopicID(rawValue: UInt32(topicNames.count - 1))
    }

    /// ``internTopic(named:)`` for a name given as a string.
    public mutating func internTopic(named name: String) -> TopicID? {
        var copy = name
        return copy.withUTF8 { internTopic(named: UnsafeRawBufferPointer($0)) }
    }

    /// The longest topic name, in UTF-8 bytes.
    public static let maxTopicNameBytes = 64

    /// The id of a topic name if interned here.
    public func topicID(named name: String) -> TopicID? {
        topicIndex[Array(name.utf8)].map(TopicID.init(rawValue:))
    }

    /// The name of an interned topic.
    public func topicName(_ topic: TopicID) -> String {
        String(decoding: topicNames[Int(topic.rawValue)], as: UTF8.self)
    }

    /// How many topics are interned.
    public var topicCount: Int { topicNames.count }

    /// Remembers a post's topics with its content and counts it toward the author's *What* in
    /// each topic the author holds or has room for (a post alone never evicts a topic).
    mutating func rememberTopics(of post: Post) {
        guard !post.topics.isEmpty else { return }
        contentTopics.remember(post.contentHash, topics: post.topics, author: post.author, time: post.time)
        let growth = growth(at: post.time, halfLife: parameters.fastHalfLife)
        for index in 0..<post.topics.count {
            if let slot = topicSlot(of: post.author, topic: post.topics[index], credit: 0) {
                topicSlots[slot].posts += growth
            }
        }
    }

    /// Adds (sign 1) or takes back (sign −1) a reaction's topic credit to its target, for the
    /// topics of the content it reacted to, days with engagement included as the overall score
    /// counts them. Returns nil when the content carries no topic known here, else (adding) the
    /// topics whose day the reaction opened, bit i for the content's i-th topic.
    mutating func creditTopics(_ entry: UndoEntry, content: UInt64, sign: Double) -> UInt64? {
        let topics = contentTopics.topics(of: content)
        guard !topics.isEmpty else { return nil }
        let pool = Pool(rawValue: entry.pool & UndoEntry.poolMask) ?? .crowd
        guard !pool.isLasting else { return nil }
        let weight = entry.weight * networkWeights[Int(entry.network)]
        // A reaction that weighs nothing (an account of age 0, an action of weight 0) credits nothing.
        guard weight > 0 else { return nil }
        let amount = weight * growth(at: entry.time, halfLife: parameters.fastHalfLife)
        let enduringGrowth = growth(at: entry.time, halfLife: parameters.enduringHalfLife)
        let enduring = entry.pool & UndoEntry.enduringBit != 0 ? weight * enduringGrowth : 0
        let countsDay = entry.pool & UndoEntry.countsDayBit != 0
        let day = activeDay(of: entry.time)
        let target = UserHandle(rawValue: entry.target)
        var opened: UInt64 = 0
        for index in 0..<topics.count {
            let found = sign > 0 ? topicSlot(of: target, topic: topics[index], credit: amount) : existingTopicSlot(of: target, topic: topics[index])
            guard let slot = found else { continue }
            func adjust(_ value: inout Double, _ delta: Double) { value = Swift.max(0, value + sign * delta) }
            if pool == .established { adjust(&topicSlots[slot].established, amount) } else { adjust(&topicSlots[slot].crowd, amount) }
            adjust(&topicSlots[slot].enduring, enduring)
            if sign > 0 { topicSlots[slot].creditEngager(entry.actor, amount) } else { topicSlots[slot].debitEngager(entry.actor, amount) }
            // Days open and close as in `add(_:sign:)`: only a later day opens, an undo takes its day back.
            if sign > 0, countsDay, day > topicSlots[slot].lastActiveDay {
                topicSlots[slot].lastActiveDay = day
                topicSlots[slot].activeDays += enduringGrowth
                opened |= 1 << UInt64(index)
            } else if sign < 0, entry.topicDaysOpened & (1 << UInt64(index)) != 0 {
                adjust(&topicSlots[slot].activeDays, enduringGrowth)
                if topicSlots[slot].lastActiveDay == day { topicSlots[slot].lastActiveDay = day - 1 }
            }
        }
        return opened
    }

    /// The first slot index of a user's block, nil when they hold no topics.
    func topicBlock(of user: UserHandle) -> Int? {
        let index = Int(user.rawValue)
        guard index < topicBlocks.count, topicBlocks[index] != 0 else { return nil }
        return Int(topicBlocks[index] - 1) * InfluenceState.topicsPerUser
    }

    /// The slot of a topic the user holds.
    func existingTopicSlot(of user: UserHandle, topic: TopicID) -> Int? {
        guard let block = topicBlock(of: user) else { return nil }
        return (block..<(block + InfluenceState.topicsPerUser)).first { topicSlots[$0].topic == topic.rawValue + 1 }
    }

    /// The slot a credit of `credit` (landmark-relative) to `topic` goes to: the topic's own, a
    /// free one, or the weakest when the credit outweighs it; nil when the topic does not get in.
    mutating func topicSlot(of user: UserHandle, topic: TopicID, credit: Double) -> Int? {
        let block: Int
        if let existing = topicBlock(of: user) {
            block = existing
        } else {
            let index = Int(user.rawValue)
            if index >= topicBlocks.count { topicBlocks.resize(to: Swift.max(index + 1, users.count)) }
            block = topicSlots.count
            topicSlots.resize(to: block + InfluenceState.topicsPerUser)
            topicBlocks[index] = UInt32(block / InfluenceState.topicsPerUser + 1)
        }
        var weakest = block
        for slot in block..<(block + InfluenceState.topicsPerUser) {
            let held = topicSlots[slot]
            if held.topic == topic.rawValue + 1 { return slot }
            if topicSlots[weakest].topic != 0 && (held.topic == 0 || held.strength < topicSlots[weakest].strength) { weakest = slot }
        }
        guard topicSlots[weakest].topic == 0 || (credit > 0 && topicSlots[weakest].strength < credit) else { return nil }
        var fresh = TopicSlot()
        fresh.topic = topic.rawValue + 1
        topicSlots[weakest] = fresh
        return weakest
    }

    /// The raw engagement of a topic slot at the decay factors, with its *What* and crowd terms.
    func topicTerms(_ slot: TopicSlot, _ decay: DecayFactors) -> (raw: Double, what: Double, crowdEffective: Double) {
        let posts = slot.posts * decay.fast
        let what = posts == 0 ? 1 : pow(configuration.postsReference / (configuration.postsReference + posts), configuration.postsExponent)
        let crowdEffective = configuration.crowdScale * log1p(slot.crowd * decay.fast * what / configuration.crowdScale)
        let enduring = (configuration.enduringWeight * slot.enduring + configuration.activeDayWeight * slot.activeDays) * decay.enduring
        let raw = slot.established * decay.fast * what + crowdEffective + enduring
        return (raw, what, crowdEffective)
    }

    /// The user's topic scores at the watermark, highest first, explained term by term; empty for
    /// a user with no topics.
    public func topicScores(of user: UserHandle) -> [TopicScore] {
        guard hasLandmark, let block = topicBlock(of: user) else { return [] }
        let decay = decayFactors(at: watermark)
        var scores: [TopicScore] = []
        for index in block..<(block + InfluenceState.topicsPerUser) {
            let slot = topicSlots[index]
            guard slot.topic != 0 else { continue }
            let terms = topicTerms(slot, decay)
            var engagers: [EngagerContribution] = []
            for entry in 0..<TopicSlot.engagerCount {
                let (handle, contribution) = slot.engager(entry)
                guard handle != 0, let id = userID(of: UserHandle(rawValue: handle - 1)) else { continue }
                engagers.append(EngagerContribution(userID: id, contribution: contribution * decay.fast))
            }
            engagers.sort { ($0.contribution, $1.userID) > ($1.contribution, $0.userID) }
            scores.append(TopicScore(
                topic: topicName(TopicID(rawValue: slot.topic - 1)), score: parameters.scale.score(raw: terms.raw), raw: terms.raw,
                establishedEngagement: slot.established * decay.fast, crowdEngagement: slot.crowd * decay.fast,
                crowdEffective: terms.crowdEffective, enduringEngagement: slot.enduring * decay.enduring,
                activeDays: slot.activeDays * decay.enduring, posts: slot.posts * decay.fast, whatFactor: terms.what, topEngagers: engagers))
        }
        return scores.sorted { ($0.score, $1.topic) > ($1.score, $0.topic) }
    }

    /// The user's score in one topic at the watermark, or by decay alone at a later event time;
    /// nil when they do not hold the topic.
    public func topicScore(of user: UserHandle, topic: TopicID, at time: Int64? = nil) -> Double? {
        guard hasLandmark, let slot = existingTopicSlot(of: user, topic: topic) else { return nil }
        return parameters.scale.score(raw: topicTerms(topicSlots[slot], decayFactors(at: Swift.max(time ?? watermark, watermark))).raw)
    }

    /// The scores of every topic the user holds at the watermark, by topic name (what a score
    /// change publishes); empty for a user with no topics.
    public func topicScoreTable(of user: UserHandle) -> [String: Double] {
        guard hasLandmark, let block = topicBlock(of: user) else { return [:] }
        let decay = decayFactors(at: watermark)
        var table: [String: Double] = [:]
        for index in block..<(block + InfluenceState.topicsPerUser) where topicSlots[index].topic != 0 {
            let slot = topicSlots[index]
            table[topicName(TopicID(rawValue: slot.topic - 1))] = parameters.scale.score(raw: topicTerms(slot, decay).raw)
        }
        return table
    }

    /// Calls `body` with every user who holds `topic` and their score in it, in handle order.
    public func forEachUser(inTopic topic: TopicID, _ body: (UserHandle, Double) throws -> Void) rethrows {
        guard hasLandmark else { return }
        let decay = decayFactors(at: watermark)
        for index in 0..<topicBlocks.count where topicBlocks[index] != 0 {
            let block = Int(topicBlocks[index] - 1) * InfluenceState.topicsPerUser
            for slot in block..<(block + InfluenceState.topicsPerUser) where topicSlots[slot].topic == topic.rawValue + 1 {
                try body(UserHandle(rawValue: UInt32(index)), parameters.scale.score(raw: topicTerms(topicSlots[slot], decay).raw))
            }
        }
    }

    /// Removes a user's topics and their appearances as a topic engager, and unnames them as the
    /// author of their posts (an erase).
    mutating func forgetTopics(of user: UserHandle) {
        if let block = topicBlock(of: user) {
            for slot in block..<(block + InfluenceState.topicsPerUser) { topicSlots[slot] = TopicSlot() }
        }
        let tag = user.rawValue + 1
        for slot in 0..<topicSlots.count {
            let held = topicSlots[slot]
            if held.engager0 == tag || held.engager1 == tag { topicSlots[slot].removeEngager(user.rawValue) }
        }
        contentTopics.forgetAuthor(user)
    }

    /// Rescales every topic sum (a landmark rebase).
    mutating func rescaleTopics(fast: Double, enduring: Double) {
        for slot in 0..<topicSlots.count where topicSlots[slot].topic != 0 {
            topicSlots[slot].rescale(fast: fast, enduring: enduring)
        }
    }
}
