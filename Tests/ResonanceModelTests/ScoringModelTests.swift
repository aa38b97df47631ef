import Foundation
import ResonanceModel
import Testing

/// The five factors, long-lasting signals, sub-scores, accumulation across
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

    @Test("between events the score only falls; the 30-day sums fade, the enduring record stays")
    func decayOnlyLowers() throws {
        var fixture = ModelFixture()
        fixture.establish("elder", score: 60)
        fixture.post("reshared")
        fixture.react("elder", "reshare", "reshared")
        let reshared = fixture.user("reshared")
        var previous = fixture.state.score(of: reshared)
        for days in stride(from: 1, through: 400, by: 7) {
            let score = fixture.state.score(of: reshared, at: fixture.now + Int64(days) * ModelFixture.day)
            #expect(score <= previous)
            previous = score
        }
        let start = try #require(fixture.state.explain(reshared)).networks[0]
        // Ninety days on (three 30-day half-lives), read through a later event elsewhere.
        fixture.now += 90 * ModelFixture.day
        fixture.post("someone-else")
        let later = try #require(fixture.state.explain(reshared)).networks[0]
        #expect(abs(later.establishedEngagement / start.establishedEngagement - 0.125) < 1e-12)
        let enduringShare = later.enduringEngagement / start.enduringEngagement
        #expect(abs(enduringShare - pow(2, -90.0 / 1825)) < 1e-12)
        #expect(abs(later.activeDays / start.activeDays - enduringShare) < 1e-12)
    }

    @Test("active days: one per day with engagement; an undo of the reaction that opened a day takes it back")
    func activeDays() throws {
        var fixture = ModelFixture()
        func days() throws -> Double { try #require(fixture.state.explain(fixture.user("target"))).networks[0].activeDays }
        let opener = fixture.reactionEvent("a", "reshare", "target")
        fixture.apply(opener)
        fixture.react("b", "like", "target", at: fixture.now + ModelFixture.hour)  // the same day
        #expect(abs(try days() - pow(2, -1.0 / (24 * 1825))) < 1e-12)  // read an hour later
        fixture.now += ModelFixture.day
        fixture.react("c", "reshare", "target")  // the next day
        #expect(abs(try days() - (1 + pow(2, -1.0 / 1825))) < 1e-12)
        fixture.react("d", "reshare", "target")
        guard case .reaction(let reaction) = opener else { return }
        let undo = Undo(idHash: fixture.freshID(), time: fixture.now, undoesHash: reaction.idHash, actor: reaction.actor, target: reaction.target)
        #expect(fixture.apply(.undo(undo)) == .changed(reaction.target))
        // The first day is gone; the second stays.
        #expect(abs(try days() - 1) < 1e-12)
    }

    @Test("active days: an account coming back every day opens one day; a late reaction for an earlier day opens none")
    func activeDaysCannotBeBought() throws {
        var fixture = ModelFixture()
        func days() throws -> Double { try #require(fixture.state.explain(fixture.user("target"))).networks[0].activeDays }
        let start = fixture.now
        for day in 0..<30 {
            fixture.react("regular", "like", "target", at: start + Int64(day) * ModelFixture.day)
        }
        let last = start + 29 * ModelFixture.day
        #expect(abs(try days() - pow(2, -29.0 / 1825)) < 1e-12)
        // A new engager on a new day opens it.
        fixture.react("newcomer", "reshare", "target", at: last + ModelFixture.day)
        let twoDays = pow(2, -30.0 / 1825) + 1
        #expect(abs(try days() - twoDays) < 1e-12)
        // Another new engager's reaction dated the day before, delivered late: that day was not
        // counted, and is not now (only a day after the last one counted opens).
        fixture.react("late", "reshare", "target", at: last)
        #expect(abs(try days() - twoDays) < 1e-12)
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

    @Test("Who: an actor's reaction weighs 2^((standing − 1) / who_doubling_points) times a fresh account's")
    func whoFactor() throws {
        var established = ModelFixture()
        established.establish("elder", score: 60)
        established.react("elder", "reshare", "target")
        var fresh = ModelFixture()
        fresh.react("newbie", "reshare", "target")
        let elder = try #require(established.state.explain(established.user("target"))).networks[0]
        let newbie = try #require(fresh.state.explain(fresh.user("target"))).networks[0]
        #expect(abs(elder.establishedEngagement - pow(2, 59.0 / 50)) < 1e-9)
        #expect(abs(elder.enduringEngagement - pow(2, 59.0 / 50)) < 1e-9)
        #expect(abs(newbie.crowdEngagement - 1) < 1e-12 && abs(newbie.enduringEngagement - 1) < 1e-12)
        #expect(established.score("target") > fresh.score("target") + 5)
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
        // What divides the 30-day engagement only; the enduring record is the same for both.
        #expect(score(posts: 10) > score(posts: 1_000) + 1)
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
