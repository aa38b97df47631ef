import ResonanceModel
import Testing

/// The worked example of docs/SCORING.md section 4: the numbers printed there are the numbers the
/// model computes.
@Suite("Worked example of docs/SCORING.md")
struct WorkedExampleTests {
    static func ada() -> ModelFixture {
        var fixture = ModelFixture()
        fixture.establish("grace", score: 51)
        fixture.establish("linus", score: 41)
        fixture.post("ada")
        fixture.post("ada")
        fixture.react("grace", "reshare", "ada")
        fixture.react("newbie", "like", "ada")
        fixture.react("newbie", "like", "ada")
        fixture.react("linus", "follow", "ada")
        fixture.profile("ada", followers: 999, following: 100)
        return fixture
    }

    @Test("each term and the score match the table")
    func atOneInstant() throws {
        let fixture = Self.ada()
        let handle = try #require(fixture.state.handle(of: "ada"))
        let explanation = try #require(fixture.state.explain(handle))
        let twitter = explanation.networks[0]
        #expect(abs(twitter.establishedEngagement - 2) < 1e-9)
        #expect(abs(twitter.crowdEngagement - 0.3375) < 1e-9)
        #expect(abs(twitter.lastingEngagement - 1.044661) < 1e-6)
        #expect(abs(twitter.enduringEngagement - 2.3375) < 1e-9)
        #expect(abs(twitter.activeDays - 1) < 1e-9)
        #expect(abs(twitter.whatFactor - 0.912871) < 1e-6)
        #expect(abs(twitter.crowdEffective - 0.293280) < 1e-6)
        #expect(abs(explanation.raw - 6.501182) < 1e-5)
        #expect(abs(explanation.engagementScore - 51.0325) < 1e-4)
        #expect(abs(explanation.lastingSignal - 1000) < 1e-9)
        #expect(abs(explanation.score - 51.22) < 0.005)
        let card = try #require(fixture.state.scoreCard(of: handle))
        #expect(abs(card.reach - 3) < 1e-9)
        #expect(abs(card.amplification - 2) < 1e-9)
        #expect(abs(card.impact - 23.5) < 1e-9)
    }

    @Test("thirty days later the score is 47.20")
    func thirtyDaysLater() throws {
        let fixture = Self.ada()
        let handle = try #require(fixture.state.handle(of: "ada"))
        let later = fixture.state.score(of: handle, at: fixture.now + 30 * ModelFixture.day)
        #expect(abs(later - 47.20) < 0.005)
    }
}
