import ResonanceEngine
import ResonanceHTTP
import Testing

/// The dashboard history's bounds and ordering rules.
@Suite struct ScoreHistoryTests {
    private func change(_ user: String, _ version: Int64, score: Double = 10, networks: [String: Double] = ["twitter": 10]) -> PublishedScore {
        PublishedScore(user: user, score: score, reach: 1, amplification: 1, impact: 1, networks: networks, time: version * 1000, version: version)
    }

    @Test func keepsAtMostPointsPerUserNewestLast() {
        let history = ScoreHistory(pointsPerUser: 3, usersWithHistory: 10)
        for version in 1...5 { history.record(change("a", Int64(version))) }
        #expect(history.points(of: "a").map(\.version) == [3, 4, 5])
        #expect(history.latest(of: "a")?.version == 5)
    }

    @Test func dropsTheUserWhoseHistoryStartedFirst() {
        let history = ScoreHistory(pointsPerUser: 3, usersWithHistory: 2)
        history.record(change("a", 1))
        history.record(change("b", 1))
        history.record(change("a", 2))
        history.record(change("c", 1))
        #expect(history.points(of: "a").isEmpty)
        #expect(history.points(of: "b").count == 1)
        #expect(history.points(of: "c").count == 1)
        #expect(history.usersKept == 2)
        // Network scores are kept for every user, history or not.
        #expect(history.scores(on: "twitter").keys.sorted() == ["a", "b", "c"])
    }

    @Test func staysBoundedOverManyUsers() {
        let history = ScoreHistory(pointsPerUser: 2, usersWithHistory: 50)
        for user in 0..<5_000 { history.record(change("u\(user)", 1)) }
        #expect(history.usersKept == 50)
        #expect(history.points(of: "u4999").count == 1)
        #expect(history.points(of: "u0").isEmpty)
    }

    @Test func ignoresRedeliveredOrOlderVersions() {
        let history = ScoreHistory()
        history.record(change("a", 5, score: 50))
        history.record(change("a", 5, score: 50))
        history.record(change("a", 3, score: 30))
        #expect(history.points(of: "a").map(\.version) == [5])
        #expect(history.scores(on: "twitter")["a"] == 10)
    }

    @Test func networkScoresFollowTheLatestChange() {
        let history = ScoreHistory()
        history.record(change("a", 1, networks: ["twitter": 20, "facebook": 5]))
        history.record(change("a", 2, networks: ["twitter": 22]))
        #expect(history.scores(on: "twitter")["a"] == 22)
        #expect(history.scores(on: "facebook")["a"] == nil)
        #expect(history.networks == ["twitter"])
    }

    @Test func tombstonesForgetTheUser() {
        let history = ScoreHistory()
        history.record(change("a", 1))
        history.remove(user: "a")
        #expect(history.points(of: "a").isEmpty)
        #expect(history.scores(on: "twitter").isEmpty)
        // A user erased and scored again starts over.
        history.record(change("a", 1))
        #expect(history.points(of: "a").count == 1)
    }
}
