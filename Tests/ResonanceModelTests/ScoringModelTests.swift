import ResonanceModel
import Testing

/// Issue 3 points 1–5: the five factors, long-lasting signals, sub-scores, accumulation across
/// networks and the 1–100 scale.
@Suite("Scoring model")
struct ScoringModelTests {
    @Test("the score never falls when genuine engagement is added (random sequences)")
    func monotonicInEngagement() {
        var generator = SplitMix64(seed: 7)
        let actions = ["like", "reshare", "comment", "reply", "mention", "follow", "list_add"]
        for trial in 0..<20 {
            var fixture = ModelFixture()
            fixture.establish("elder", score: 70)
            var previous = 1.0
            for step in 0..<60 {
                let actor = generator.next() % 4 == 0 ? "elder" : "actor-\(trial)-\(generator.next() % 30)"
                let action = actions[Int(generator.next() % UInt64(actions.count))]
                let network = generator.next() % 3 == 0 ? "facebook" : "twitter"
                // All at one instant, so that decay cannot lower the score between events.
                fixture.react(actor, action, "target", network: network)
                let score = fixture.score("target")
                #expect(score >= previous, "trial \(trial) step \(step): \(previous) → \(score)")
                previous = score
            }
        }
    }

    @Test("engagement decays to exactly half after one half-life, an eighth after three")
    func halfLife() throws {
        var fixture = ModelFixture()
        fixture.establish("elder", score: 60)
        fixture.react("elder", "reshare", "target")
        let start = try #require(fixture.state.explain(fixture.user("target"))).networks[0].establishedEngagement
        fixture.now += 30 * ModelFixture.day
        fixture.post("someone-else")  // advances the watermark by one half-life
        let after = try #require(fixture.state.explain(fixture.user("target"))).networks[0].establishedEngagement
        #expect(abs(after / start - 0.5) < 1e-12)
        fixture.now += 60 * ModelFixture.day
        fixture.post("someone-else")
        let ninety = try #require(fixture.state.explain(fixture.user("target"))).networks[0].establishedEngagement
        #expect(abs(ninety / start - 0.125) < 1e-12)
    }

    @Test("between events the score only falls, and follows last longer than reshares")
    func decayOnlyLowers() {
        var fixture = ModelFixture()
        fixture.establish("elder", score: 60)
        fixture.post("reshared")
        fixture.react("elder", "reshare", "reshared")
        fixture.react("elder", "follow", "followed")
        let reshared = fixture.user("reshared")
        let followed = fixture.user("followed")
        var previous = fixture.state.score(of: reshared)
        for days in stride(from: 1, through: 400, by: 7) {
            let score = fixture.state.score(of: reshared, at: fixture.now + Int64(days) * ModelFixture.day)
            #expect(score <= previous)
            previous = score
        }
        let later = fixture.now + 90 * ModelFixture.day
        let reshareShare = (fixture.state.score(of: reshared, at: later) - 1) / (fixture.state.score(of: reshared) - 1)
        let followShare = (fixture.state.score(of: followed, at: later) - 1) / (fixture.state.score(of: followed) - 1)
        #expect(followShare > reshareShare)
    }

    @Test("How: one reshare > one comment = one reply > one mention > one like")
    func actionWeights() {
        func scoreAfter(_ action: String) -> Double {
            var fixture = ModelFixture()
            fixture.establish("elder", score: 50)
            fixture.react("elder", action, "target")
            return fixture.score("target")
        }
        #expect(scoreAfter("reshare") > scoreAfter("comment"))
        #expect(scoreAfter("comment") == scoreAfter("reply"))
        #expect(scoreAfter("reply") > scoreAfter("mention"))
        #expect(scoreAfter("mention") > scoreAfter("like"))
    }

    @Test("Who: an established actor counts many times a fresh one")
    func whoFactor() {
        var established = ModelFixture()
        established.establish("elder", score: 60)
        established.react("elder", "reshare", "target")
        var fresh = ModelFixture()
        fresh.react("newbie", "reshare", "target")
        let elderEngagement = established.state.rawEngagement(of: established.user("target"))
        let freshEngagement = fresh.state.rawEngagement(of: fresh.user("target"))
        #expect(elderEngagement > 50 * freshEngagement)
        #expect(established.score("target") > fresh.score("target") + 20)
    }

    @Test("What: 100 reshares of 10 posts beat 100 reshares of 1,000 posts")
    func whatFactor() {
        func score(posts: Int) -> Double {
            var fixture = ModelFixture()
            for _ in 0..<posts { fixture.post("author") }
            for index in 0..<100 {
                fixture.establish("fan-\(index)", score: 40)
                fixture.react("fan-\(index)", "reshare", "author")
            }
            return fixture.score("author")
        }
        #expect(score(posts: 10) > score(posts: 1_000) + 3)
    }

    @Test("Where: a network's weight scales its engagement")
    func whereFactor() {
        var configuration = ModelConfiguration()
        configuration.networkWeights = ["twitter": 1.0, "linkedin": 2.0]
        func raw(on network: String) -> Double {
            var fixture = ModelFixture(configuration: configuration)
            fixture.establish("elder", score: 50)
            fixture.react("elder", "reshare", "target", network: network)
            return fixture.state.rawEngagement(of: fixture.user("target"))
        }
        #expect(abs(raw(on: "linkedin") / raw(on: "twitter") - 2) < 1e-12)
    }

    @Test("across networks the score accumulates: both networks score at least as high as either alone")
    func accumulationAcrossNetworks() throws {
        var both = ModelFixture()
        var twitterOnly = ModelFixture()
        var facebookOnly = ModelFixture()
        for index in 0..<10 {
            both.react("fan-\(index)", "reshare", "target", network: "twitter")
            twitterOnly.react("fan-\(index)", "reshare", "target", network: "twitter")
        }
        for index in 0..<4 {
            both.react("friend-\(index)", "comment", "target", network: "facebook")
            facebookOnly.react("friend-\(index)", "comment", "target", network: "facebook")
        }
        #expect(both.score("target") > twitterOnly.score("target"))
        #expect(both.score("target") > facebookOnly.score("target"))
        let card = try #require(both.state.scoreCard(of: both.user("target")))
        #expect(Set(card.networks.keys) == ["twitter", "facebook"])
        #expect(abs(card.networks["twitter"]! - twitterOnly.score("target")) < 1e-9)
        #expect(abs(card.networks["facebook"]! - facebookOnly.score("target")) < 1e-9)
        #expect(card.score >= card.networks.values.max()!)
    }

    @Test("sub-scores: True Reach counts distinct people, Amplification reactions per post, Impact the engagers' mean score")
    func subScores() throws {
        var fixture = ModelFixture()
        fixture.post("target")
        fixture.post("target")
        for index in 0..<3 {
            fixture.establish("fan-\(index)", score: 40)
            fixture.react("fan-\(index)", "like", "target")
            fixture.react("fan-\(index)", "like", "target")
        }
        let card = try #require(fixture.state.scoreCard(of: fixture.user("target")))
        #expect(abs(card.reach - 3) < 1e-9)
        #expect(abs(card.amplification - 3) < 1e-9)  // 6 reactions / 2 posts
        #expect(abs(card.impact - 40) < 1e-9)
    }

    @Test("the scale is monotonic, 1 at nothing, below 100, and log-like at the top")
    func scale() {
        let scale = ScoreScale(ModelConfiguration())
        #expect(scale.score(raw: 0) == 1)
        var previous = 1.0
        var raw = 1e-6
        while raw < 1e12 {
            let score = scale.score(raw: raw)
            #expect(score > previous && score < 100)
            #expect(abs(scale.raw(score: score) / raw - 1) < 1e-6)
            previous = score
            raw *= 1.5
        }
        // An event that lifts a 50 by 20+ points lifts a 92 by only a few.
        let raw50 = scale.raw(score: 50)
        let event = scale.raw(score: 70) - raw50
        let raw92 = scale.raw(score: 92)
        #expect(scale.score(raw: raw50 + event) - 50 >= 20)
        #expect(scale.score(raw: raw92 + event) - 92 < 3)
    }

    @Test("long-lasting profile signals count, but little")
    func profileSignals() {
        var fixture = ModelFixture()
        fixture.react("someone", "reshare", "target")
        let before = fixture.score("target")
        fixture.profile("target", followers: 5_000, following: 300, lists: 20)
        let after = fixture.score("target")
        #expect(after > before)
        #expect(after - before <= ModelConfiguration().lastingMaxPoints)
    }

    @Test("scores read at the watermark are the same through every read path")
    func readPathsAgree() throws {
        var fixture = ModelFixture()
        fixture.establish("elder", score: 55)
        fixture.react("elder", "comment", "target")
        fixture.profile("target", followers: 300)
        let handle = fixture.user("target")
        let card = try #require(fixture.state.scoreCard(of: handle))
        let explanation = try #require(fixture.state.explain(handle))
        #expect(card.score == fixture.state.score(of: handle))
        #expect(explanation.score == card.score)
        #expect(fixture.state.score(of: handle, at: fixture.state.watermark) == card.score)
    }
}

/// A small deterministic generator for property tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
