import Foundation
import ResonanceEngine
import ResonanceModel
import Testing

/// The attack suite aimed at one topic: the world of ``AttackWorld`` with every post of the target
/// about "running" and every reaction to the target naming the target's latest post, so that each
/// attack lands on the target's running score. Each attack may move the topic no more than the
/// overall thresholds allow (docs/SCORING.md, §5 and §8).
@Suite("Attacks aimed at one topic")
struct TopicAttackTests {
    static let topic = "running"

    /// `events` with the target's posts about ``topic`` and every reaction to the target naming
    /// the target's latest post before it (posts on days 10, 13, …, 25; the first before day 10).
    static func aimedAtTopic(_ events: [EncodedEvent]) throws -> [EncodedEvent] {
        try events.map { event in
            guard var json = try JSONSerialization.jsonObject(with: Data(event.value)) as? [String: Any] else { return event }
            let kind = json["kind"] as? String
            if kind == "post", json["author"] as? String == AttackWorld.target {
                json["topics"] = [topic]
            } else if kind == "reaction", json["target"] as? String == AttackWorld.target, json["content"] == nil {
                let day = (event.time - AttackWorld.start) / AttackWorld.day
                let post = Swift.min(5, Swift.max(0, (day - 10) / 3))
                json["content"] = "\(AttackWorld.target)-\(post)"
            } else {
                return event
            }
            return EncodedEvent(key: event.key, value: Array(try JSONSerialization.data(withJSONObject: json)), time: event.time)
        }
    }

    /// The target's overall and topic scores at day 31 after replaying `events`.
    static func targetScores(_ events: [EncodedEvent]) throws -> (overall: Double, topic: Double) {
        var processor = try PartitionProcessor(partition: 0, configuration: ModelConfiguration())
        let decoder = EventDecoder()
        let wallClock = AttackWorld.evaluationTime + AttackWorld.day
        for event in AttackWorld.sorted(try aimedAtTopic(events)) {
            try event.value.withUnsafeBytes { bytes in
                let decoded = try decoder.decode(bytes, key: nil)
                #expect(processor.apply(decoded, wallClock: wallClock) { _ in } == nil)
            }
        }
        let state = processor.state
        let target = try #require(state.handle(of: AttackWorld.target))
        let topic = try #require(state.topicID(named: topic))
        return (state.score(of: target, at: AttackWorld.evaluationTime), try #require(state.topicScore(of: target, topic: topic, at: AttackWorld.evaluationTime)))
    }

    @Test("with account ages reported, every attack of the suite moves the target's topic within the overall thresholds", arguments: [0, 3, 30])
    func attacksOnATopic(engagedMembers: Int) throws {
        let world = AttackWorld.baseline(engagedMembers: engagedMembers)
        let baseline = try Self.targetScores(world)
        func gain(_ attack: [EncodedEvent]) throws -> (overall: Double, topic: Double) {
            let attacked = try Self.targetScores(world + attack)
            return (attacked.overall - baseline.overall, attacked.topic - baseline.topic)
        }
        let ring = try gain(AttackWorld.botRing(.reported))
        let control = try gain(AttackWorld.establishedReshares(.reported))
        let bought = try gain(AttackWorld.boughtFollowers())
        let superfan = try gain(AttackWorld.superfan())
        let selfReactions = try gain(AttackWorld.selfReactions())
        print(
            "topic attacks: \(engagedMembers) established engagers: baseline overall \(baseline.overall), topic \(baseline.topic); "
                + "gains (overall, topic): ring \(ring), control \(control), bought followers \(bought), superfan \(superfan), self \(selfReactions)")
        #expect(baseline.topic > 1)
        #expect(ring.topic >= 0 && ring.topic <= 3)
        #expect(bought.topic == 0, "follows are about an account, not a post")
        #expect(superfan.topic <= 2)
        #expect(selfReactions.topic == 0)
        // Genuine, established engagement moves the topic clearly more than the ring.
        #expect(control.topic >= ring.topic + 3)
    }

    @Test("every event delivered five times leaves the topic score identical to delivering it once")
    func duplicatesOnATopic() throws {
        let events = AttackWorld.baseline() + AttackWorld.superfan()
        let once = try Self.targetScores(events)
        let fiveTimes = try Self.targetScores(AttackWorld.deliveredFiveTimes(events))
        #expect(once.topic == fiveTimes.topic && once.overall == fiveTimes.overall)
    }
}
