import ResonanceModel
import Testing

/// ``InfluenceState/nextDecayCrossing(of:below:)``: when the publisher must publish a decay-only
/// change.
@Suite("Decay crossings")
struct DecayCrossingTests {
    @Test("the crossing is the first millisecond at which the score is below the value")
    func crossingTime() throws {
        var fixture = ModelFixture()
        fixture.establish("elder", score: 60)
        fixture.react("elder", "reshare", "target")
        fixture.react("someone", "like", "target")
        let handle = fixture.user("target")
        let now = fixture.state.score(of: handle)
        for drop in [0.1, 1, 5, 20] {
            let value = now - drop
            let crossing = try #require(fixture.state.nextDecayCrossing(of: handle, below: value))
            #expect(crossing > fixture.state.watermark)
            #expect(fixture.state.score(of: handle, at: crossing) < value)
            #expect(fixture.state.score(of: handle, at: crossing - 1) >= value)
        }
        #expect(fixture.state.nextDecayCrossing(of: handle, below: now + 1) == fixture.state.watermark)
        // A value that is not a number is never crossed (and must not trap the search).
        #expect(fixture.state.nextDecayCrossing(of: handle, below: .nan) == nil)
    }

    @Test("with a coarser resolution the crossing is never early and at most that late")
    func crossingResolution() throws {
        var fixture = ModelFixture()
        fixture.establish("elder", score: 60)
        fixture.react("elder", "reshare", "target")
        let handle = fixture.user("target")
        let now = fixture.state.score(of: handle)
        let resolution: Int64 = 632_812  // 30 days / 4096, as the publisher uses
        for drop in [0.1, 1, 5] {
            let value = now - drop
            let exact = try #require(fixture.state.nextDecayCrossing(of: handle, below: value))
            let coarse = try #require(fixture.state.nextDecayCrossing(of: handle, below: value, resolution: resolution))
            #expect(fixture.state.score(of: handle, at: coarse) < value)
            #expect(fixture.state.score(of: handle, at: coarse - resolution) >= value)
            #expect(coarse >= exact && coarse - exact <= resolution, "exact \(exact), coarse \(coarse)")
        }
    }

    @Test("a score held up by profile counts alone never decays below them")
    func noCrossing() throws {
        var fixture = ModelFixture()
        fixture.profile("target", followers: 50_000)
        fixture.react("someone", "like", "target")
        let handle = fixture.user("target")
        let floor = fixture.state.score(of: handle, at: fixture.now + 100_000 * ModelFixture.day)
        #expect(floor > 1)
        #expect(fixture.state.nextDecayCrossing(of: handle, below: floor - 0.01) == nil)
        #expect(fixture.state.nextDecayCrossing(of: handle, below: floor + 0.5) != nil)
    }

    @Test("for users of every mix of signals and for every drop, the crossing is never early and at most one resolution late")
    func crossingContractOverVariedUsers() throws {
        var fixture = ModelFixture()
        var random = SplitMix64(seed: 7)
        let actions = ["like", "reshare", "comment", "mention", "follow", "list_add"]
        for elder in 0..<5 { fixture.establish("elder\(elder)", score: 20 + Double(elder) * 15) }
        // 60 users, each with a random mix: established and crowd reactions of every kind, spread
        // over weeks (so the sums decay at different rates), posts, profile counts, two networks.
        for user in 0..<60 {
            for _ in 0..<(1 + Int(random.next() % 12)) {
                fixture.now = ModelFixture.start + Int64(random.next() % 60) * ModelFixture.day
                let actor = random.next() % 3 == 0 ? "elder\(random.next() % 5)" : "fan\(random.next() % 500)"
                fixture.react(actor, actions[Int(random.next() % 6)], "user\(user)", network: random.next() % 4 == 0 ? "mastodon" : "twitter")
            }
            if random.next() % 3 == 0 { fixture.post("user\(user)") }
            if random.next() % 3 == 0 { fixture.profile("user\(user)", followers: UInt32(random.next() % 100_000)) }
        }
        fixture.now = ModelFixture.start + 61 * ModelFixture.day
        fixture.react("fan0", "like", "someone-else")
        var checked = 0
        for user in 0..<60 {
            let handle = fixture.user("user\(user)")
            let now = fixture.state.score(of: handle)
            for drop in [0.01, 0.1, 0.5, 3, 15] where now - drop > 1 {
                let value = now - drop
                for resolution: Int64 in [1, 632_812] {
                    guard let crossing = fixture.state.nextDecayCrossing(of: handle, below: value, resolution: resolution) else {
                        // Never: the lasting bonus holds the score at or above the value for good.
                        #expect(fixture.state.score(of: handle, at: fixture.now + 100_000 * ModelFixture.day) >= value)
                        continue
                    }
                    #expect(fixture.state.score(of: handle, at: crossing) < value, "user\(user) drop \(drop)")
                    #expect(fixture.state.score(of: handle, at: crossing - resolution) >= value, "user\(user) drop \(drop)")
                    checked += 1
                }
            }
        }
        #expect(checked > 400)
    }
}
