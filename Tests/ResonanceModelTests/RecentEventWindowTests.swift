import ResonanceModel
import Testing

/// The dedupe and undo windows, through the public API, against a plain model of what they
/// promise: an id is a duplicate exactly while it is among the last `dedupe_capacity` admitted
/// events, and an undo finds its reaction while fewer than `undo_capacity` events have been
/// admitted since. Capacities are tiny so that buckets fill, overflow and expire constantly.
@Suite("Recent event window")
struct RecentEventWindowTests {
    static func fixture(dedupe: Int, undo: Int) -> ModelFixture {
        var configuration = ModelConfiguration()
        configuration.dedupeCapacity = dedupe
        configuration.undoCapacity = undo
        return ModelFixture(configuration: configuration)
    }

    @Test("an id is a duplicate exactly while it is among the last dedupe_capacity events", arguments: [1, 2, 5, 37, 64, 1_000])
    func exactWindow(capacity: Int) {
        var fixture = Self.fixture(dedupe: capacity, undo: 1)
        let author = fixture.user("author")
        let network = fixture.network("twitter")
        var generator = SplitMix64(seed: UInt64(capacity))
        // The ids admitted, oldest first; only the last `capacity` are remembered.
        var admitted: [UInt64] = []
        var duplicates = 0
        for _ in 0..<20_000 {
            // Ids from a pool about three windows wide: redeliveries at every distance, in and out
            // of the window.
            let id = generator.next() % UInt64(3 * capacity + 3) + 2  // 0 would fold onto 1
            let post = Post(idHash: id, time: ModelFixture.start, network: network, author: author, contentHash: 1)
            let expectDuplicate = admitted.suffix(capacity).contains(id)
            let outcome = fixture.apply(.post(post))
            #expect(outcome == (expectDuplicate ? .duplicate : .changed(author)), "id \(id) after \(admitted.count) events")
            if expectDuplicate { duplicates += 1 } else { admitted.append(id) }
        }
        // The stream exercised both outcomes.
        #expect(duplicates > 1_000)
        #expect(admitted.count > 1_000)
    }

    @Test("an undo finds its reaction while fewer than undo_capacity events were admitted since", arguments: [1, 3, 16])
    func undoWindow(capacity: Int) {
        for later in [0, capacity - 1, capacity, capacity + 5] where later >= 0 {
            var fixture = Self.fixture(dedupe: 64, undo: capacity)
            let event = fixture.reactionEvent("fan", "reshare", "star")
            guard case .reaction(let reaction) = event else { return }
            #expect(fixture.apply(event) == .changed(reaction.target))
            for index in 0..<later { fixture.react("other-\(index)", "like", "someone") }
            let undo = Undo(idHash: fixture.freshID(), time: fixture.now, undoesHash: reaction.idHash,
                            actor: reaction.actor, target: reaction.target)
            let expected: ApplyOutcome = later < capacity ? .changed(reaction.target) : .unmatchedUndo
            #expect(fixture.apply(.undo(undo)) == expected, "undo after \(later) reactions, undo_capacity \(capacity)")
        }
    }

    @Test("undo_capacity above dedupe_capacity is rejected")
    func undoWithinDedupe() {
        var configuration = ModelConfiguration()
        configuration.dedupeCapacity = 100
        configuration.undoCapacity = 101
        #expect(throws: ModelError.self) { try configuration.validate() }
    }

    @Test("the windows survive a serialization round trip mid-stream")
    func roundTrip() throws {
        var fixture = Self.fixture(dedupe: 50, undo: 20)
        var events: [ModelEvent] = []
        for index in 0..<60 { events.append(fixture.reactionEvent("a\(index % 7)", "like", "t\(index % 5)")) }
        for event in events.prefix(40) { fixture.apply(event) }
        let bytes = fixture.state.serializedBytes()
        var restored = fixture
        restored.state = try bytes.withUnsafeBytes { try InfluenceState(deserializing: $0, configuration: fixture.state.configuration) }
        // Redeliveries, undos and new events give the same outcomes and bytes on both.
        for event in events.suffix(30) {
            #expect(fixture.apply(event) == restored.apply(event))
        }
        for event in events.prefix(45) {
            guard case .reaction(let reaction) = event else { continue }
            let undo = Undo(idHash: reaction.idHash &+ 1, time: fixture.now, undoesHash: reaction.idHash,
                            actor: reaction.actor, target: reaction.target)
            #expect(fixture.apply(.undo(undo)) == restored.apply(.undo(undo)))
        }
        #expect(fixture.state.serializedBytes() == restored.state.serializedBytes())
    }
}
