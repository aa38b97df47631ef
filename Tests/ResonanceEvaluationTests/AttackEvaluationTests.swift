import ResonanceEngine
import ResonanceModel
import Testing

@testable import ResonanceEvaluation

/// `resonance evaluate --attack` on small fixed inputs: who is attacked, what is injected, and
/// what the injection does to the outcomes and the rankings.
@Suite("Evaluation under attack")
struct AttackEvaluationTests {
    static let cutoff = EvaluationTests.cutoff
    static let hour: Int64 = 3_600_000

    @Test("only users with 1…max reactions before the cutoff are attacked, with every attack of the suite, in the day before it")
    func plan() throws {
        let log = EventLog(unsortedEvents: EvaluationTests.events())
        let plan = AttackPlan.make(log: log, cutoffs: [Self.cutoff], options: AttackPlan.Options())
        // star has 20 reactions and mid 5 before the cutoff; minor has 2.
        #expect(plan.targets == [Self.cutoff: ["minor"]])
        #expect(plan.events.allSatisfy { $0.time >= Self.cutoff - 24 * Self.hour && $0.time < Self.cutoff })
        // Ring 500 × 20, 10,000 bought follows, the bought profile 5 times, 500 superfan likes 5
        // times each, 1,000 self-reactions.
        #expect(plan.events.count == 10_000 + 10_000 + 5 + 2_500 + 1_000)
        #expect(plan.events.allSatisfy { $0.key == Array("minor".utf8) })
        let reported = plan.events.filter { String(decoding: $0.value, as: UTF8.self).contains("actor_created") }
        #expect(reported.count == 10_000 + 10_000 + 2_500)

        var unreported = AttackPlan.Options()
        unreported.reportAccountAges = false
        let plain = AttackPlan.make(log: log, cutoffs: [Self.cutoff], options: unreported)
        #expect(plain.events.count == plan.events.count)
        #expect(!plain.events.contains { String(decoding: $0.value, as: UTF8.self).contains("actor_created") })
    }

    @Test("the draw is fixed by the seed, without repeats, and a user is attacked for one cutoff only")
    func draw() {
        let start = EvaluationTests.start
        let day = EvaluationTests.day
        var events: [EncodedEvent] = []
        for user in 0..<200 {
            events.append(EventJSON.reaction(
                id: "r\(user)", network: "twitter", time: start + Int64(user), action: "like", actor: "fan", target: "user-\(user)"))
        }
        let log = EventLog(unsortedEvents: events)
        var options = AttackPlan.Options()
        options.usersPerCutoff = 10
        let cutoffs = [start + day, start + 2 * day]
        let first = AttackPlan.chooseTargets(log: log, cutoffs: cutoffs, options: options)
        let again = AttackPlan.chooseTargets(log: log, cutoffs: cutoffs, options: options)
        #expect(first == again)
        let chosen = cutoffs.flatMap { first[$0] ?? [] }
        #expect(chosen.count == 20 && Set(chosen).count == 20)
        options.seed = 2
        #expect(AttackPlan.chooseTargets(log: log, cutoffs: cutoffs, options: options) != first)
    }

    @Test("injected reactions count before the cutoff and never in an outcome; the count ranks the attacked user first, Resonance does not")
    func injection() throws {
        let log = EventLog(unsortedEvents: EvaluationTests.events())
        let plan = AttackPlan.make(log: log, cutoffs: [Self.cutoff], options: AttackPlan.Options())
        let attackedLog = log.injecting(plan)
        // Duplicates and self-reactions are not counted: the ring, the bought follows and one like
        // per superfan like.
        #expect(attackedLog.interactions.filter(\.injected).count == 10_000 + 10_000 + 500)
        #expect(attackedLog.interactions.filter { !$0.injected }.count == log.interactions.count)

        var options = EvaluationOptions()
        options.cutoffs = [Self.cutoff]
        options.k = 2
        options.attackedUsers = plan.targets
        let wall = EvaluationTests.start + 100 * EvaluationTests.day
        let clean = try #require(try Evaluation.run(log: log, configuration: ModelConfiguration(), options: options, wallClock: wall).cutoffs.first)
        let attacked = try #require(try Evaluation.run(log: attackedLog, configuration: ModelConfiguration(), options: options, wallClock: wall).cutoffs.first)
        #expect(attacked.futureReactions == clean.futureReactions)
        #expect(attacked.usersWithFutureReactions == clean.usersWithFutureReactions)
        #expect(attacked.reactionsBefore == clean.reactionsBefore + 20_500)
        #expect(attacked.evaluatedUsers == clean.evaluatedUsers)

        #expect(clean.metrics(of: .totalReactions)?.attackedMedianRank == 3)
        #expect(attacked.metrics(of: .totalReactions)?.attackedMedianRank == 1)
        #expect(attacked.metrics(of: .totalReactions)?.ndcg != 1)
        let resonance = try #require(attacked.metrics(of: .resonance))
        #expect(resonance.attackedMedianRank == 3)
        #expect(resonance.ndcg == 1 && resonance.spearmanReactions == 1)
    }
}
