import Foundation
import Hummingbird
import ResonanceHTTP
import Testing

/// The HTTP API over real scores, on a real socket.
@Suite struct RouteTests {
    let fixture: ScoredFixture

    init() throws { fixture = try ScoredFixture.shared() }

    private func json(_ response: LiveServer.Response) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: response.body)
        return try #require(object as? [String: Any])
    }

    private func withApp(_ context: ServerContext? = nil, _ body: @Sendable (LiveServer) async throws -> Void) async throws {
        try await LiveServer.with(context ?? fixture.context) { client in try await body(client) }
    }

    @Test func healthzAnswersAlive() async throws {
        try await withApp { client in
            let response = try await client.get("/healthz")
            #expect(response.status == .ok)
            let body = try json(response)
            #expect(body["status"] as? String == "alive")
        }
    }

    @Test func ownedUserHasScoreSubScoresNetworksAndExplanation() async throws {
        let top = try #require(fixture.ranking.first)
        try await withApp { client in
            let response = try await client.get("/v1/users/\(top.user)")
            #expect(response.status == .ok)
            #expect(response.contentType?.hasPrefix("application/json") == true)
            let body = try json(response)
            #expect(body["user"] as? String == top.user)
            #expect(body["source"] as? String == "partition_state")
            #expect(body["partition"] as? Int == 0)
            let score = try #require(body["score"] as? Double)
            #expect((1...100).contains(score))
            #expect(body["reach"] is Double && body["amplification"] is Double && body["impact"] is Double)
            let networks = try #require(body["networks"] as? [String: Double])
            #expect(networks["twitter"] != nil)
            let explanation = try #require(body["explanation"] as? [String: Any])
            let factors = try #require(explanation["networks"] as? [[String: Any]])
            #expect(factors.first?["network"] as? String == "twitter")
            #expect(factors.first?["where_weight"] as? Double == 1.0)
            let engagers = try #require(explanation["top_engagers"] as? [[String: Any]])
            #expect(!engagers.isEmpty)
            let contributions = engagers.compactMap { $0["contribution"] as? Double }
            #expect(contributions == contributions.sorted(by: >))
        }
    }

    @Test func userOwnedElsewhereIsAnsweredFromTheScoreTable() async throws {
        let top = try #require(fixture.ranking.first)
        try await withApp(fixture.remoteContext) { client in
            let response = try await client.get("/v1/users/\(top.user)")
            #expect(response.status == .ok)
            let body = try json(response)
            #expect(body["source"] as? String == "score_table")
            #expect(body["score"] as? Double == top.score)
            #expect(body["explanation"] == nil)
            let note = try #require(body["explanation_note"] as? String)
            #expect(note.contains("instance"))
            // Sub-scores come from the latest published change the history holds.
            #expect(body["reach"] is Double)
            let engagers = try await client.get("/v1/users/\(top.user)/engagers")
            #expect(engagers.status == .ok)
            let engagersBody = try json(engagers)
            #expect(engagersBody["source"] as? String == "score_table")
            #expect((engagersBody["engagers"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func unknownUserIs404WithJSONError() async throws {
        try await withApp { client in
            for path in ["/v1/users/nobody-at-all", "/v1/users/nobody-at-all/engagers", "/v1/users/nobody-at-all/history"] {
                let response = try await client.get(path)
                #expect(response.status == .notFound)
                let error = try #require(try json(response)["error"] as? [String: Any])
                #expect(error["code"] as? String == "not_found")
                #expect((error["message"] as? String)?.contains("nobody-at-all") == true)
            }
        }
    }

    @Test func leaderboardRanksTheTableHighestFirst() async throws {
        let expected = Array(fixture.ranking.prefix(7))
        try await withApp { client in
            let response = try await client.get("/v1/leaderboard?limit=7")
            #expect(response.status == .ok)
            let body = try json(response)
            let entries = try #require(body["entries"] as? [[String: Any]])
            #expect(entries.map { $0["user"] as? String } == expected.map(\.user))
            #expect(entries.map { $0["score"] as? Double } == expected.map(\.score))
            #expect(entries.map { $0["rank"] as? Int } == Array(1...7))
            #expect(body["users"] as? Int == fixture.table.count)
            let byDefault = try json(try await client.get("/v1/leaderboard"))["entries"] as? [Any]
            #expect(byDefault?.count == 10)
        }
    }

    @Test func leaderboardPerNetworkUsesPublishedNetworkScores() async throws {
        let scores = fixture.history.scores(on: "twitter")
        let expected = scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(5)
        try await withApp { client in
            let response = try await client.get("/v1/leaderboard?network=twitter&limit=5")
            #expect(response.status == .ok)
            let body = try json(response)
            #expect(body["network"] as? String == "twitter")
            let entries = try #require(body["entries"] as? [[String: Any]])
            #expect(entries.map { $0["user"] as? String } == expected.map(\.key))
            #expect(body["users"] as? Int == scores.count)
            // A configured network nobody has data on yet is valid and empty.
            let unused = try await client.get("/v1/leaderboard?network=linkedin")
            #expect(unused.status == .ok)
            #expect((try json(unused)["entries"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: ["0", "-3", "1001", "ten", "2.5", ""])
    func badLimitIs400NamingTheParameter(limit: String) async throws {
        try await withApp { client in
            let response = try await client.get("/v1/leaderboard?limit=\(limit)")
            #expect(response.status == .badRequest)
            let error = try #require(try json(response)["error"] as? [String: Any])
            #expect(error["code"] as? String == "bad_request")
            #expect((error["message"] as? String)?.contains("limit") == true)
        }
    }

    @Test func unknownNetworkIs400ListingTheKnownOnes() async throws {
        try await withApp { client in
            let response = try await client.get("/v1/leaderboard?network=myspace")
            #expect(response.status == .badRequest)
            let error = try #require(try json(response)["error"] as? [String: Any])
            let message = try #require(error["message"] as? String)
            #expect(message.contains("myspace") && message.contains("twitter"))
        }
    }

    @Test func engagersAreTheExplanationsTopEngagersWithScores() async throws {
        let top = try #require(fixture.ranking.first)
        try await withApp { client in
            let response = try await client.get("/v1/users/\(top.user)/engagers")
            #expect(response.status == .ok)
            let body = try json(response)
            #expect(body["source"] as? String == "partition_state")
            let engagers = try #require(body["engagers"] as? [[String: Any]])
            #expect(!engagers.isEmpty)
            let shares = engagers.compactMap { $0["share"] as? Double }
            #expect(abs(shares.reduce(0, +) - 1) < 1e-9)
            // An engager somebody reacted to has a score (local state here); one who only
            // reacts has none, and the answer says so by leaving it out rather than inventing one.
            for engager in engagers {
                let id = try #require(engager["user"] as? String)
                let score = engager["score"] as? Double
                #expect((fixture.table.entry(for: id) != nil) == (score != nil), "engager \(id)")
                if let score { #expect((1...100).contains(score)) }
            }
        }
    }

    @Test func historyListsPublishedChangesOldestFirst() async throws {
        let user = try #require(fixture.changes.reduce(into: [String: Int]()) { $0[$1.user, default: 0] += 1 }.max { $0.value < $1.value }?.key)
        let expected = fixture.changes.filter { $0.user == user }.suffix(50)
        try await withApp { client in
            let response = try await client.get("/v1/users/\(user)/history")
            #expect(response.status == .ok)
            let points = try #require(try json(response)["points"] as? [[String: Any]])
            #expect(points.count == expected.count)
            #expect(points.compactMap { $0["version"] as? Int64 } == expected.map(\.version))
            #expect(points.count > 1)
        }
    }

    @Test func distributionCountsEveryPublishedUser() async throws {
        try await withApp { client in
            let response = try await client.get("/v1/distribution")
            let body = try json(response)
            let bins = try #require(body["bins"] as? [[String: Any]])
            #expect(bins.count == 20)
            #expect(bins.compactMap { $0["count"] as? Int }.reduce(0, +) == fixture.table.count)
            #expect(body["users"] as? Int == fixture.table.count)
            // Active users only: those whose latest change is within the half-life of the newest.
            let active = try json(try await client.get("/v1/distribution?active=true"))
            let entries = fixture.table.allEntries()
            let newest = try #require(entries.map(\.time).max())
            let expected = entries.filter { newest - $0.time <= 30 * 86_400_000 }.count
            #expect(expected > 0 && expected < entries.count, "the fixture has users both active and not")
            #expect(active["users"] as? Int == expected)
            #expect(active["active_within_days"] as? Double == 30)
        }
    }

    @Test func readyzIs200WhenCaughtUpAndLagWithinBound() async throws {
        try await withApp { client in
            let response = try await client.get("/readyz")
            #expect(response.status == .ok)
            let body = try json(response)
            #expect(body["ready"] as? Bool == true)
            #expect(body["assigned_partitions"] as? Int == 1)
        }
    }

    @Test func readyzIs503WithReasonWhileStarting() async throws {
        let view = PipelineView()
        let context = ServerContext(
            queries: InfluenceQueries(view: view, table: fixture.table, history: fixture.history, configuredNetworks: []),
            view: view, readinessPolicy: ReadinessPolicy(), metrics: PipelineMetrics(), table: fixture.table)
        try await withApp(context) { client in
            let response = try await client.get("/readyz")
            #expect(response.status == .serviceUnavailable)
            let body = try json(response)
            #expect(body["ready"] as? Bool == false)
            #expect((body["reason"] as? String)?.hasPrefix("starting") == true)
        }
    }

    @Test func metricsExposeThePipelineSeries() async throws {
        try await withApp { client in
            let response = try await client.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.contentType?.hasPrefix("text/plain") == true)
            let text = String(decoding: response.body, as: UTF8.self)
            let reactions = fixture.counters.applied[.reaction, default: 0]
            #expect(reactions > 0)
            #expect(text.contains("resonance_events_total{kind=\"reaction\"} \(reactions)"))
            #expect(text.contains("resonance_messages_total \(fixture.counters.messages)"))
            #expect(text.contains("resonance_score_changes_published_total \(fixture.counters.changesPublished)"))
            #expect(text.contains("resonance_users_in_state \(fixture.trackedUsers).0"))
            #expect(text.contains("resonance_score_table_users \(fixture.table.count).0"))
            #expect(text.contains("resonance_consumer_lag{topic=\"reactions\",partition=\"0\"} 0.0"))
            #expect(text.contains("resonance_resident_memory_bytes"))
            #expect(text.contains("resonance_ready 1.0"))
        }
    }

    @Test func dashboardIsServedAsHTML() async throws {
        try await withApp { client in
            for path in ["/", "/dashboard"] {
                let response = try await client.get(path)
                #expect(response.status == .ok)
                #expect(response.contentType?.hasPrefix("text/html") == true)
                let html = String(decoding: response.body, as: UTF8.self)
                #expect(html.contains("id=\"histogram\"") && html.contains("/v1/leaderboard"))
                // Self-contained: the SVG namespace is the only URL, and nothing is loaded from elsewhere.
                let rest = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
                #expect(!rest.contains("http://") && !rest.contains("https://") && !rest.contains("src=\"//"))
            }
        }
    }
}
