@testable import ResonanceModel
import Testing

/// Reading ahead (`InfluenceState.warm`) and interning with a hash computed elsewhere: both are
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

    @Test("warming before every run of events leaves every state byte and outcome as without it, and guesses known subjects")
    func warmingChangesNothing() throws {
        let (base, events) = DeterminismAndSerializationTests.stream()
        var straight = base
        var warmed = base
        var guessed = 0
        var start = 0
        while start < events.count {
            let run = events[start..<min(start + 16, events.count)]
            var previews = run.map { event in
                InfluenceState.EventPreview(
                    idHash: event.idHash, actor: hash(of: event.actorHandle, in: warmed.state),
                    subject: hash(of: event.subjectHandle, in: warmed.state))
            }
            _ = previews.withUnsafeMutableBufferPointer { warmed.state.warm($0) }
            for (preview, event) in zip(previews, run) {
                if let subject = event.subjectHandle, warmed.state.isLive(subject) {
                    #expect(preview.subjectGuess == subject)
                    guessed += 1
                } else if event.subjectHandle == nil {
                    #expect(preview.subjectGuess == nil)
                }
            }
            for event in run {
                #expect(straight.apply(event) == warmed.apply(event))
            }
            start += 16
        }
        #expect(guessed > 1_000)
        #expect(straight.state.serializedBytes() == warmed.state.serializedBytes())
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
