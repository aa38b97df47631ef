import Foundation
import ResonanceEngine
import Testing

/// The attack suite: attacks on an established, engaged target, each through the real broker and
/// the real pipeline, each with its threshold. A gain is the target's score at day 31 with the
/// attack minus its score at day 31 without it (``AttackWorld``), so decay is the same on both
/// sides. Enabled only when `RESONANCE_TEST_BROKERS` names the local broker (scripts/test sets it).
/// Serialized: each run is a producer, a consumer and a score-table follower on two shared cores.
@Suite("Attack suite through the real broker", .serialized, .enabled(if: AttackBroker.brokers != nil))
struct AttackSuiteTests {
    /// The target's score without any attack, computed once for every test.
    static let baseline: Result<Double, any Error> = Result {
        try AttackBroker.run(AttackWorld.baseline(), purpose: "baseline").score(of: AttackWorld.target)
    }

    /// The target's score at day 31 with `attack` added to the baseline world, minus its score
    /// without it.
    func gain(from attack: [EncodedEvent], purpose: String) throws -> (gain: Double, baseline: Double, outcome: AttackBroker.Outcome) {
        let baseline = try Self.baseline.get()
        let outcome = try AttackBroker.run(AttackWorld.sorted(AttackWorld.baseline() + attack), purpose: purpose)
        #expect(outcome.counters.rejectedTotal == 0)
        return (outcome.score(of: AttackWorld.target) - baseline, baseline, outcome)
    }

    @Test("the target is established and engaged before any attack")
    func baselineIsEstablished() throws {
        let baseline = try Self.baseline.get()
        print("attack suite: target baseline score \(String(format: "%.3f", baseline)) at day 31")
        // Established: well above the crowd threshold (15), the calibrated mean (40) and the 95th
        // percentile (63); with room to grow, so that gains are not hidden by the top of the scale.
        #expect(baseline > 70 && baseline < 85)
    }

    @Test("a ring of 500 accounts made the hour before (as the collector reports), resharing the target 20 times each within an hour, gains it at most 3 points")
    func botRing() throws {
        let result = try gain(from: AttackWorld.botRing(.reported), purpose: "ring")
        print("attack suite: bot ring (10,000 reshares) gain \(String(format: "%.3f", result.gain)) points from \(String(format: "%.3f", result.baseline))")
        #expect(result.gain <= 3)
        #expect(result.gain >= 0)
    }

    @Test("500 established accounts resharing the target once raise it clearly more than the bot ring")
    func establishedControl() throws {
        let ring = try gain(from: AttackWorld.botRing(.reported), purpose: "ring-for-control").gain
        let control = try gain(from: AttackWorld.establishedReshares(), purpose: "control").gain
        print("attack suite: 500 established reshares gain \(String(format: "%.3f", control)) points; the bot ring \(String(format: "%.3f", ring))")
        // Clearly more: at least 3 points more, and at least three times the ring's gain.
        #expect(control >= ring + 3)
        #expect(control >= 3 * ring)
    }

    @Test("10,000 bought followers gain the target at most 1 point")
    func boughtFollowers() throws {
        let result = try gain(from: AttackWorld.boughtFollowers(), purpose: "bought")
        print("attack suite: 10,000 bought followers gain \(String(format: "%.3f", result.gain)) points")
        #expect(result.gain <= 1)
        #expect(result.gain >= 0)
    }

    @Test("1,000 reactions to one's own posts gain exactly nothing")
    func selfReactions() throws {
        let result = try gain(from: AttackWorld.selfReactions(), purpose: "self")
        print("attack suite: 1,000 self-reactions gain \(result.gain) points")
        #expect(result.gain == 0)
    }

    @Test("one superfan liking the target 500 times in a day gains it at most 2 points")
    func superfan() throws {
        let result = try gain(from: AttackWorld.superfan(), purpose: "superfan")
        let superfan = result.outcome.score(of: AttackWorld.member(35))
        print("attack suite: superfan (score \(String(format: "%.1f", superfan))) 500 likes gain \(String(format: "%.3f", result.gain)) points")
        #expect(result.gain <= 2)
        #expect(result.gain > 0)
    }

    @Test("with account ages reported, a target with 0 or 1 established engagers gains at most 3 points from the ring, far less than from the control", arguments: [0, 1])
    func weaklyEngagedTarget(engagedMembers: Int) throws {
        let world = AttackWorld.baseline(engagedMembers: engagedMembers)
        let baselineOutcome = try AttackBroker.run(world, purpose: "baseline-\(engagedMembers)")
        let baseline = baselineOutcome.score(of: AttackWorld.target)
        func gain(_ attack: [EncodedEvent], _ purpose: String) throws -> Double {
            let outcome = try AttackBroker.run(AttackWorld.sorted(world + attack), purpose: "\(purpose)-\(engagedMembers)")
            #expect(outcome.counters.rejectedTotal == 0)
            return outcome.score(of: AttackWorld.target) - baseline
        }
        let ring = try gain(AttackWorld.botRing(.reported), "ring-reported")
        let control = try gain(AttackWorld.establishedReshares(.reported), "control-reported")
        let bought = try gain(AttackWorld.boughtFollowers(), "bought")
        print(
            "attack suite, account ages reported, \(engagedMembers) established engagers: baseline \(String(format: "%.3f", baseline)), "
                + "ring +\(String(format: "%.3f", ring)), control +\(String(format: "%.3f", control)), bought followers +\(String(format: "%.3f", bought))")
        #expect(ring >= 0 && ring <= 3)
        #expect(control >= ring + 3)
        #expect(control >= 3 * ring)
        #expect(bought >= 0 && bought <= 1)
    }

    @Test("every event delivered five times leaves every score identical to delivering it once")
    func duplicateDeliveries() throws {
        let events = AttackWorld.sorted(AttackWorld.baseline() + AttackWorld.establishedReshares() + AttackWorld.superfan())
        let once = try AttackBroker.run(events, purpose: "once")
        let five = try AttackBroker.run(AttackWorld.deliveredFiveTimes(events), purpose: "five-times")
        let onceScores = once.allScores()
        let fiveScores = five.allScores()
        print("attack suite: \(events.count) events once and five times: \(onceScores.count) users, \(onceScores.filter { fiveScores[$0.key] != $0.value }.count) scores differ")
        #expect(five.counters.messages == 5 * once.counters.messages)
        #expect(onceScores.count > 500)
        // Bit-identical, not merely close.
        #expect(onceScores == fiveScores)
    }
}
