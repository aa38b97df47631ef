import ResonanceModel
import Testing

/// Explanations of a score, and erasure of a user.
@Suite("Explanations and erasure")
struct ExplanationAndErasureTests {
    @Test("an explanation breaks the score down by network and factor and names the top engagers")
    func explanation() throws {
        var fixture = ModelFixture()
        fixture.establish("alice", score: 70)
        fixture.establish("bob", score: 40)
        fixture.post("target")
        fixture.react("alice", "reshare", "target")
        fixture.react("bob", "comment", "target")
        fixture.react("carol", "like", "target", network: "facebook")
        fixture.profile("target", followers: 1_000)
        let explanation = try #require(fixture.state.explain(fixture.state.handle(of: "target")!))
        #expect(explanation.userID == "target")
        #expect(explanation.topEngagers.map(\.userID) == ["alice", "bob", "carol"])
        #expect(explanation.topEngagers[0].contribution > explanation.topEngagers[1].contribution)
        #expect(Set(explanation.networks.map(\.network)) == ["twitter", "facebook"])
        #expect(abs(explanation.networks.map(\.raw).reduce(0, +) - explanation.raw) < 1e-9)
        #expect(abs(explanation.engagementScore + explanation.lastingBonus - explanation.score) < 1e-9)
        #expect(explanation.lastingBonus > 0)
        let twitter = try #require(explanation.networks.first { $0.network == "twitter" })
        #expect(twitter.posts == 1)
        #expect(twitter.whatFactor < 1)
        #expect(abs(twitter.impact - 55) < 1e-9)
        #expect(twitter.establishedEngagement > 0)
        let facebook = try #require(explanation.networks.first { $0.network == "facebook" })
        #expect(facebook.crowdEngagement > 0 && facebook.establishedEngagement == 0)
    }

    @Test("erase removes every trace: records, id bytes, top-engager entries")
    func eraseLeavesNoTrace() throws {
        var fixture = ModelFixture()
        let secret = "secret-user-8f3a2c"
        fixture.establish(secret, score: 80)
        fixture.react(secret, "reshare", "friend")
        fixture.react("friend", "reshare", secret)
        fixture.post(secret)
        fixture.profile(secret, followers: 77)
        let handle = fixture.user(secret)
        #expect(fixture.state.explain(fixture.state.handle(of: "friend")!)!.topEngagers.map(\.userID).contains(secret))
        let tracked = fixture.state.trackedUserCount
        let erase = Erase(idHash: fixture.freshID(), time: fixture.now, user: handle)
        #expect(fixture.apply(.erase(erase)) == .erased(handle))
        #expect(fixture.state.trackedUserCount == tracked - 1)
        #expect(fixture.state.handle(of: secret) == nil)
        #expect(fixture.state.userID(of: handle) == nil)
        #expect(fixture.state.scoreCard(of: handle) == nil)
        #expect(fixture.state.explain(fixture.state.handle(of: "friend")!)!.topEngagers.isEmpty)
        let bytes = fixture.state.serializedBytes()
        #expect(!Self.contains(bytes, Array(secret.utf8)))
        // Events naming the dead handle are refused; the id comes back as a new user.
        let outcome = fixture.react("friend", "like", secret)
        let reborn = fixture.user(secret)
        #expect(outcome == .changed(reborn))
        #expect(reborn != handle)
    }

    @Test("forgetUser removes a user known only by id (a tombstone from another partition)")
    func forgetRemoteUser() throws {
        var fixture = ModelFixture()
        fixture.establish("remote-person", score: 60)
        fixture.react("remote-person", "reshare", "local")
        let forgotten = fixture.state.forgetUser(id: "remote-person")
        let unknown = fixture.state.forgetUser(id: "never-seen")
        #expect(forgotten && !unknown)
        #expect(fixture.state.explain(fixture.state.handle(of: "local")!)!.topEngagers.isEmpty)
        #expect(!Self.contains(fixture.state.serializedBytes(), Array("remote-person".utf8)))
        #expect(fixture.score("local") > 1)  // the anonymous sums stay
    }

    @Test("an undo naming an erased actor is unmatched")
    func undoAfterErase() {
        var fixture = ModelFixture()
        let event = fixture.reactionEvent("gone", "like", "stays")
        fixture.apply(event)
        guard case .reaction(let reaction) = event else { return }
        fixture.apply(.erase(Erase(idHash: fixture.freshID(), time: fixture.now, user: reaction.actor)))
        let undo = Undo(idHash: fixture.freshID(), time: fixture.now, undoesHash: reaction.idHash,
                        actor: reaction.actor, target: reaction.target)
        #expect(fixture.apply(.undo(undo)) == .unmatchedUndo)
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return true }
        }
        return false
    }
}
