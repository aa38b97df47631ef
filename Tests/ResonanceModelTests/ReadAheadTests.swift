@testable import ResonanceModel
import Testing

/// Reading ahead (`InfluenceState.readAhead`) and interning with a hash computed elsewhere: both are
/// performance paths, so what they must not do is change any result.
@Suite("Reading ahead")
struct ReadAheadTests {
    @Test("interning with a precomputed hash gives the handles plain interning gives, in the same order")
    func hashedInterning() throws {
        var plain = try InfluenceState(configuration: ModelConfiguration())
        var hashed = try InfluenceState(configuration: ModelConfiguration())
        // Enough ids to grow the table several times, with repeats.
        for index in 0..<5_000 {
            let id = "user-\(index * 7 % 3_001)"
            let expected = plain.intern(userID: id)
            let got = id.utf8CString.withUnsafeBytes { bytes in
                let id = UnsafeRawBufferPointer(rebasing: bytes.dropLast())
                return hashed.intern(userID: id, hash: UserIDHash(id))
            }
            #expect(got == expected)
        }
        #expect(hashed.serializedBytes() == plain.serializedBytes())
        // The hash is never the "no id" value, even for an id whose mixed hash would be 0.
        #expect(UserIDHash(UnsafeRawBufferPointer(start: nil, count: 0)) != .none)
    }

    @Test("reading ahead on schedule, from id hashes, changes no state byte or outcome and guesses subjects right")
    func readingAheadFromHashesChangesNothing() throws {
        let (base, events) = DeterminismAndSerializationTests.stream()
        var straight = base
        var readAhead = base
        // Previews as the engine makes them, before interning: the ids' hashes. Every third event
        // gets the hashes of ids never interned instead (as for users new to the partition):
        // those guesses find nothing, or a stranger whose tag collides, and must still change
        // nothing.
        var generator = SplitMix64(seed: 3)
        var previews = events.enumerated().map { index, event in
            let unknown = index % 3 == 0
            return InfluenceState.EventPreview(
                idHash: event.idHash,
                actor: unknown ? UserIDHash(value: generator.next() | 1) : hash(of: event.actorHandle, in: base.state),
                subject: unknown ? UserIDHash(value: generator.next() | 1) : hash(of: event.subjectHandle, in: base.state))
        }
        var guessed = 0
        for (index, event) in events.enumerated() {
            previews.withUnsafeMutableBufferPointer { readAhead.state.readAhead($0, before: index) }
            // Guessed two runs ahead: a guess from a known id's hash names the event's subject.
            if index % 3 != 0, let guess = previews[index].subjectGuess {
                #expect(guess == event.subjectHandle, "event \(index)")
                guessed += 1
            }
            #expect(straight.apply(event) == readAhead.apply(event))
        }
        #expect(guessed > 600)
        // Reading ahead never writes (it is not mutating): this can only fail by a trap above.
        #expect(straight.state.serializedBytes() == readAhead.state.serializedBytes())
    }

    @Test("reading ahead on schedule, from translated events, changes no state byte or outcome")
    func readingAheadFromHandlesChangesNothing() throws {
        let (base, events) = DeterminismAndSerializationTests.stream()
        var straight = base
        var readAhead = base
        var previews = events.map { InfluenceState.EventPreview($0) }
        // The runs whose sums the schedule prefetched, as it reports them.
        var runsPrefetched: [Range<Int>] = []
        for (index, event) in events.enumerated() {
            let run = previews.withUnsafeMutableBufferPointer { readAhead.state.readAhead($0, before: index) }
            if !run.isEmpty { runsPrefetched.append(run) }
            // The records stage does not overwrite a translated event's own handles.
            #expect(previews[index].subjectGuess == event.subjectHandle)
            #expect(straight.apply(event) == readAhead.apply(event))
        }
        // Every event's sums were prefetched exactly once, before it was applied: the first call
        // covers two runs, each later one the run after the next.
        #expect(runsPrefetched.first == 0..<2 * InfluenceState.readAheadRun)
        #expect(runsPrefetched.flatMap { Array($0) } == Array(events.indices))
        #expect(straight.state.serializedBytes() == readAhead.state.serializedBytes())
    }

    private func hash(of handle: UserHandle?, in state: InfluenceState) -> UserIDHash {
        guard let handle, let hash = state.withUserID(of: handle, { UserIDHash($0) }) else { return .none }
        return hash
    }
}

extension ModelEvent {
    fileprivate var idHash: UInt64 {
        switch self {
        case .reaction(let event): event.idHash
        case .post(let event): event.idHash
        case .profile(let event): event.idHash
        case .undo(let event): event.idHash
        case .erase(let event): event.idHash
        }
    }

    fileprivate var actorHandle: UserHandle? {
        switch self {
        case .reaction(let event): event.actor
        case .undo(let event): event.actor
        default: nil
        }
    }

    fileprivate var subjectHandle: UserHandle? {
        switch self {
        case .reaction(let event): event.target
        case .post(let event): event.author
        case .profile(let event): event.user
        case .undo(let event): event.target
        case .erase: nil
        }
    }
}
