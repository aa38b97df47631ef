import ResonanceModel
import Testing

/// The account-age factor: a reaction whose `actorCreated` says the account is younger than
/// `new_account_days` counts in proportion to the account's age (docs/SCORING.md, section 1).
@Suite("Account age")
struct AccountAgeTests {
    /// The target's established and crowd engagement after `actor` (standing `standing`, or a fresh
    /// account) reshares it once, its account created `age` before the reaction (nil: not reported).
    static func engagement(
        age: Int64?, standing: Double? = nil, configuration: ModelConfiguration = ModelConfiguration()
    ) -> (established: Double, crowd: Double) {
        var fixture = ModelFixture(configuration: configuration)
        if let standing { fixture.establish("actor", score: standing) }
        var reaction = Reaction(
            idHash: fixture.freshID(), time: fixture.now, network: fixture.network("twitter"),
            action: fixture.state.action(named: "reshare")!, actor: fixture.user("actor"), target: fixture.user("target"))
        reaction.actorCreated = age.map { fixture.now - $0 }
        fixture.apply(.reaction(reaction))
        let network = fixture.state.explain(fixture.user("target"))!.networks[0]
        return (network.establishedEngagement, network.crowdEngagement)
    }

    /// Equal but for the rounding of storing a sum relative to the landmark and reading it back.
    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * Swift.max(1, abs(b)) }

    @Test("a reaction counts age / new_account_days of its weight, and fully from that age on")
    func proportionalToAge() {
        let day = ModelFixture.day
        let unreported = Self.engagement(age: nil).crowd
        #expect(Self.close(unreported, 1))  // a fresh account's reshare: How 1 · Who 1
        #expect(Self.engagement(age: 0).crowd == 0)
        #expect(Self.close(Self.engagement(age: 3 * day).crowd, 0.1))
        #expect(Self.close(Self.engagement(age: 15 * day).crowd, 0.5))
        #expect(Self.engagement(age: 30 * day).crowd == unreported)
        #expect(Self.engagement(age: 3_000 * day).crowd == unreported)
        // The same factor multiplies an established actor's Who: 2^((51 − 1) / 50) = 2.
        let established = Self.engagement(age: nil, standing: 51).established
        #expect(Self.close(established, 2))
        #expect(Self.close(Self.engagement(age: 6 * day, standing: 51).established, established * 0.2))
    }

    @Test("new_account_days = 0 turns the factor off")
    func off() {
        var configuration = ModelConfiguration()
        configuration.newAccountDays = 0
        #expect(Self.close(Self.engagement(age: 0, configuration: configuration).crowd, 1))
        #expect(configuration.fingerprint != ModelConfiguration().fingerprint)
    }

    @Test("an undo of a young account's reaction takes back exactly what it added")
    func undo() {
        var fixture = ModelFixture()
        fixture.react("someone", "reshare", "target")
        let before = fixture.score("target")
        let id = fixture.freshID()
        var reaction = Reaction(
            idHash: id, time: fixture.now, network: fixture.network("twitter"),
            action: fixture.state.action(named: "reshare")!, actor: fixture.user("young"), target: fixture.user("target"))
        reaction.actorCreated = fixture.now - 7 * ModelFixture.day
        fixture.apply(.reaction(reaction))
        #expect(fixture.score("target") > before)
        let undo = Undo(idHash: fixture.freshID(), time: fixture.now, undoesHash: id, actor: reaction.actor, target: reaction.target)
        #expect(fixture.apply(.undo(undo)) == .changed(reaction.target))
        #expect(abs(fixture.score("target") - before) < 1e-9)
    }

    @Test("new_account_days outside 0…3650 is refused with the key's name")
    func validation() {
        for value in [-1.0, 3651, .nan] {
            var configuration = ModelConfiguration()
            configuration.newAccountDays = value
            #expect(throws: ModelError.self) { try configuration.validate() }
            do {
                try configuration.validate()
            } catch {
                #expect("\(error)".contains("new_account_days"))
            }
        }
    }
}
