import Foundation
import ResonanceHTTP
import Testing

/// Topic influence over HTTP, on the generated topic world scored by the real processor.
@Suite struct TopicRouteTests {
    let fixture: ScoredFixture

    init() throws { fixture = try ScoredFixture.topics() }

    private func json(_ response: LiveServer.Response) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }

    /// The user with the highest published score in `topic`.
    private func leader(of topic: String) throws -> (user: String, score: Double) {
        let scores = fixture.history.scores(inTopic: topic)
        let best = try #require(scores.max { ($0.value, $1.key) < ($1.value, $0.key) })
        return (best.key, best.value)
    }

    @Test func ownedUserTopicsAreExplainedTermByTermWithEngagers() async throws {
        let (user, _) = try leader(of: "running")
        try await LiveServer.with(fixture.context) { client in
            let response = try await client.get("/v1/users/\(user)/topics")
            #expect(response.status == .ok)
            let body = try json(response)
            #expect(body["source"] as? String == "partition_state")
            let topics = try #require(body["topics"] as? [[String: Any]])
            #expect(!topics.isEmpty && topics.count <= 8)
            let scores = topics.compactMap { $0["score"] as? Double }
            #expect(scores == scores.sorted(by: >))
            let running = try #require(topics.first { $0["topic"] as? String == "running" })
            let raw = try #require(running["raw"] as? Double)
            let established = try #require(running["established_engagement"] as? Double)
            let what = try #require(running["what_factor"] as? Double)
            let crowd = try #require(running["crowd_effective"] as? Double)
            let enduring = try #require(running["enduring_engagement"] as? Double)
            let days = try #require(running["active_days"] as? Double)
            // The terms add up to the raw engagement, as docs/SCORING.md writes them.
            #expect(abs(established * what + crowd + enduring + days - raw) < 1e-9 * max(1, raw))
            let engagers = try #require(running["top_engagers"] as? [[String: Any]])
            #expect(!engagers.isEmpty)
        }
    }

    @Test func userOwnedElsewhereGetsThePublishedTopicScores() async throws {
        let (user, score) = try leader(of: "chess")
        try await LiveServer.with(fixture.remoteContext) { client in
            let body = try json(try await client.get("/v1/users/\(user)/topics"))
            #expect(body["source"] as? String == "score_table")
            let topics = try #require(body["topics"] as? [[String: Any]])
            #expect(topics.contains { $0["topic"] as? String == "chess" && $0["score"] as? Double == score })
            #expect((body["note"] as? String)?.contains("does not own") == true)
        }
    }

    @Test func leaderboardByTopicRanksThePublishedTopicScores() async throws {
        let scores = fixture.history.scores(inTopic: "jazz")
        let expected = scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(5)
        try await LiveServer.with(fixture.context) { client in
            let body = try json(try await client.get("/v1/leaderboard?topic=jazz&limit=5"))
            #expect(body["topic"] as? String == "jazz")
            #expect(body["network"] == nil)
            let entries = try #require(body["entries"] as? [[String: Any]])
            #expect(entries.map { $0["user"] as? String } == expected.map(\.key))
            #expect(body["users"] as? Int == scores.count)
            // The overall leaderboard ranks differently: topics are not the overall score.
            let overall = try json(try await client.get("/v1/leaderboard?limit=5"))["entries"] as? [[String: Any]]
            #expect(overall?.map { $0["user"] as? String } != entries.map { $0["user"] as? String })
        }
    }

    @Test func topicsListsEveryTopicWithItsUsers() async throws {
        try await LiveServer.with(fixture.context) { client in
            let body = try json(try await client.get("/v1/topics"))
            let topics = try #require(body["topics"] as? [[String: Any]])
            #expect(Set(topics.compactMap { $0["topic"] as? String }) == ["running", "cooking", "chess", "jazz", "climate", "football", "gardening", "photography"])
            #expect(body["total"] as? Int == 8)
            let users = topics.compactMap { $0["users"] as? Int }
            #expect(users == users.sorted(by: >))
            #expect(users.first == fixture.history.topics.values.max())
        }
    }

    @Test(arguments: [
        ("/v1/leaderboard?topic=knitting", 404, "knitting"),
        ("/v1/leaderboard?topic=jazz&network=twitter", 400, "not both"),
        ("/v1/users/nobody-at-all/topics", 404, "nobody-at-all"),
    ])
    func badTopicQueriesAreClearErrors(path: String, status: Int, fragment: String) async throws {
        try await LiveServer.with(fixture.context) { client in
            let response = try await client.get(path)
            #expect(response.status.code == status)
            let error = try #require(try json(response)["error"] as? [String: Any])
            #expect((error["message"] as? String)?.contains(fragment) == true, "\(error)")
        }
    }
}
