import ResonanceEngine
import ResonanceModel
import Testing

@testable import ResonanceEvaluation

@Suite("The evaluation procedure on a small made-up data set")
struct EvaluationTests {
    static let day: Int64 = 86_400_000
    static let start: Int64 = 1_704_067_200_000  // 2024-01-01
    static let cutoff = start + 10 * day

    /// "star" draws 20 distinct reactors before the cutoff and 30 reactions after; "mid" 5 distinct
    /// before and 3 after; "minor" two from one actor before and nothing after. A duplicate
    /// delivery and a self-reaction must not count.
    static func events() -> [EncodedEvent] {
        var events: [EncodedEvent] = []
        func react(_ id: String, _ actor: String, _ target: String, _ time: Int64) {
            events.append(EventJSON.reaction(id: id, network: "twitter", time: time, action: "reshare", actor: actor, target: target))
        }
        for fan in 0..<20 { react("s\(fan)", "fan\(fan)", "star", start + Int64(fan) * 3_600_000) }
        for fan in 0..<30 { react("s-after\(fan)", "late\(fan)", "star", cutoff + Int64(fan) * 3_600_000) }
        for fan in 0..<5 { react("m\(fan)", "fan\(fan)", "mid", start + 2 * day + Int64(fan)) }
        for fan in 0..<3 { react("m-after\(fan)", "fan\(fan)", "mid", cutoff + day + Int64(fan)) }
        react("n0", "fan0", "minor", start + 3 * day)
        react("n1", "fan0", "minor", start + 4 * day)
        react("s0", "fan0", "star", start + 5 * day)  // a duplicate of s0's id
        react("self", "star", "star", start + 6 * day)
        events.append(EventJSON.post(id: "p", network: "twitter", time: start, author: "star", content: "c"))
        return events.reversed()  // the log must sort them
    }

    @Test("counted reactions leave out duplicates and self-reactions, in time order")
    func interactions() {
        let log = EventLog(unsortedEvents: Self.events())
        #expect(log.interactions.count == 20 + 30 + 5 + 3 + 2)
        #expect(log.interactions.map(\.time) == log.interactions.map(\.time).sorted())
        #expect(log.events.map(\.time) == log.events.map(\.time).sorted())
    }

    @Test("populations, outcomes and rankings at a cutoff")
    func cutoffResult() throws {
        let log = EventLog(unsortedEvents: Self.events())
        var options = EvaluationOptions()
        options.cutoffs = [Self.cutoff]
        options.k = 2
        let result = try Evaluation.run(log: log, configuration: ModelConfiguration(), options: options, wallClock: Self.start + 100 * Self.day)
        let cutoff = try #require(result.cutoffs.first)
        #expect(cutoff.evaluatedUsers == 3)
        #expect(cutoff.reactionsBefore == 27)
        #expect(cutoff.usersWithFutureReactions == 2)
        #expect(cutoff.futureReactions == 33)
        // star > mid > minor both in the future and, for every method but the last-day count
        // (nobody received anything in the last day), before the cutoff.
        for method in [EvaluationMethod.resonance, .totalReactions, .distinctReactors] {
            let row = try #require(cutoff.metrics(of: method))
            #expect(row.spearmanReactions == 1, "\(method)")
            #expect(row.ndcg == 1, "\(method)")
            #expect(row.precision == 1, "\(method)")
        }
        let lastDay = try #require(cutoff.metrics(of: .lastDayReactions))
        #expect(lastDay.spearmanReactions == nil)
        #expect(result.distribution.count == 3)
        #expect(result.eventsRejected == 0)
    }

    @Test("the score at a cutoff sees nothing after it")
    func noLeakage() throws {
        let full = EventLog(unsortedEvents: Self.events())
        let before = EventLog(unsortedEvents: Self.events().filter { $0.time < Self.cutoff })
        var options = EvaluationOptions()
        options.cutoffs = [Self.cutoff]
        let wall = Self.start + 100 * Self.day
        let withFuture = try Evaluation.run(log: full, configuration: ModelConfiguration(), options: options, wallClock: wall)
        let withoutFuture = try Evaluation.run(log: before, configuration: ModelConfiguration(), options: options, wallClock: wall)
        #expect(withFuture.cutoffs[0].scores == withoutFuture.cutoffs[0].scores)
        #expect(withFuture.cutoffs[0].scores.count == 3)
    }

    @Test("timelines follow the users with the most active days")
    func timelines() throws {
        let log = EventLog(unsortedEvents: Self.events())
        var options = EvaluationOptions()
        options.timelineUsers = 2
        options.timelineSamples = 50
        let result = try Evaluation.run(log: log, configuration: ModelConfiguration(), options: options, wallClock: Self.start + 100 * Self.day)
        #expect(result.timelines.map(\.user) == ["star", "mid"])
        let star = result.timelines[0]
        #expect(star.points.count >= 50)
        // Nothing before the first reaction, then a score that rises with the fans.
        #expect(star.points.first?.score == 1)
        #expect((star.points.map(\.score).max() ?? 0) > 40)
    }
}

@Suite("Topic evaluation on the generated topic world")
struct TopicEvaluationTests {
    @Test("the topic world is the same for the same seed, and its posts carry topics that reactions point to")
    func worldIsDeterministic() {
        var options = TopicWorld.Options()
        options.authors = 40
        options.fans = 300
        options.days = 20
        let first = TopicWorld.events(options)
        #expect(first.map(\.value) == TopicWorld.events(options).map(\.value))
        options.seed = 8
        #expect(first.map(\.value) != TopicWorld.events(options).map(\.value))
        let log = EventLog(unsortedEvents: first)
        #expect(log.topicNames.count == 8)
        let withTopics = log.interactions.filter { $0.topicSet >= 0 }.count
        #expect(withTopics > log.interactions.count / 2 && withTopics < log.interactions.count)
    }

    @Test("by topic, the topic score ranks engagement in the topic after the cutoff better than the overall score")
    func topicScoreBeatsOverall() throws {
        let log = EventLog(unsortedEvents: TopicWorld.events())
        var options = EvaluationOptions()
        let cutoff = TopicWorld.Options().start + 45 * 86_400_000
        options.cutoffs = [cutoff]
        options.horizon = 30 * 86_400_000
        options.byTopic = true
        let result = try Evaluation.run(log: log, configuration: ModelConfiguration(), options: options, wallClock: cutoff + 100 * 86_400_000)
        let topics = try #require(result.cutoffs.first?.topics)
        #expect(topics.count == 8)
        let topicRho = try #require(EvaluationReport.weightedMean(topics, .resonanceTopic, \.spearmanReactions))
        let overallRho = try #require(EvaluationReport.weightedMean(topics, .resonance, \.spearmanReactions))
        let topicNDCG = try #require(EvaluationReport.weightedMean(topics, .resonanceTopic, \.ndcg))
        let overallNDCG = try #require(EvaluationReport.weightedMean(topics, .resonance, \.ndcg))
        print("topic evaluation: mean rho topic \(topicRho) overall \(overallRho); NDCG topic \(topicNDCG) overall \(overallNDCG)")
        #expect(topicRho > overallRho + 0.1)
        #expect(topicNDCG > overallNDCG)
        #expect(topics.allSatisfy { ($0.metrics(of: .resonanceTopic)?.spearmanReactions ?? 0) > ($0.metrics(of: .resonance)?.spearmanReactions ?? 1) })
        let report = EvaluationReport.topicMarkdown(result, k: 100)
        #expect(topics.allSatisfy { $0.isJudged })
        #expect(report.contains("in 8 of them") && report.contains("The topic score ranks engagement in its topic better than the overall score in 8 topics and worse in 0 on ρ"), "\(report)")
        #expect(report.contains("| running |"))
    }
}
