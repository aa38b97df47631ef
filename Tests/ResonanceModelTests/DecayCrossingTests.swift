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
}
