@testable import ResonanceModel
import Testing

/// The same events give bit-identical state however they are
/// batched or interrupted by serialization, snapshots are cheap copies, bad bytes are rejected.
@Suite("Determinism and serialization")
struct DeterminismAndSerializationTests {
    /// A mixed stream: reactions of every kind on two networks, posts with and without topics and
    /// reactions to them, profiles, undos, an erase, duplicates, self-reactions and out-of-order times.
    static func stream(configuration: ModelConfiguration = ModelConfiguration()) -> (base: ModelFixture, events: [ModelEvent]) {
        var builder = ModelFixture(configuration: configuration)
        var generator = SplitMix64(seed: 42)
        let actions = ["like", "reshare", "comment", "reply", "mention", "follow", "list_add"]
        var events: [ModelEvent] = []
        var posted: [UInt64] = []
        let topicNames = (0..<12).map { "topic-\($0)" }
        for index in 0..<1_500 {
            builder.now = ModelFixture.start + Int64(index) * 20 * 60_000 - Int64(generator.next() % 3_600_000)
            let roll = generator.next() % 20
            let actor = "user-\(generator.next() % 120)"
            let target = "user-\(generator.next() % 40)"
            let network = generator.next() % 4 == 0 ? "facebook" : "twitter"
            switch roll {
            case 0, 4:
                let id = builder.freshID()
                var topics = TopicList()
                for _ in 0..<Int(generator.next() % 4) {
                    topics.append(builder.state.internTopic(named: topicNames[Int(generator.next() % 12)])!)
                }
                events.append(.post(Post(idHash: id, time: builder.now, network: builder.network(network),
                                         author: builder.user(target), contentHash: id, topics: topics)))
                posted.append(id)
            case 1:
                events.append(.profile(Profile(idHash: builder.freshID(), time: builder.now, network: builder.network(network),
                                               user: builder.user(target), followers: UInt32(generator.next() % 10_000),
                                               following: 10, lists: 1, flags: generator.next() % 5 == 0 ? [.spam] : [])))
            case 2 where !events.isEmpty:
                events.append(events[Int(generator.next() % UInt64(events.count))])  // a redelivery
            case 3:
                if case .reaction(let reaction)? = events.last(where: { if case .reaction = $0 { return true } else { return false } }) {
                    events.append(.undo(Undo(idHash: builder.freshID(), time: builder.now, undoesHash: reaction.idHash,
                                             actor: reaction.actor, target: reaction.target)))
                }
            default:
                var event = builder.reactionEvent(actor, actions[Int(generator.next() % 7)], target, network: network)
                if case .reaction(var reaction) = event, !posted.isEmpty, generator.next() % 2 == 0 {
                    reaction.contentHash = posted[Int(generator.next() % UInt64(posted.count))]
                    event = .reaction(reaction)
                }
                events.append(event)
            }
            if index == 1_000 {
                events.append(.erase(Erase(idHash: builder.freshID(), time: builder.now, user: builder.user("user-7"))))
            }
        }
        var base = builder
        base.state = try! InfluenceState(configuration: configuration)
        // Intern the same names in the same order so the handles in `events` are valid in `base`.
        for index in 0..<builder.state.internedUserCount {
            _ = base.state.intern(userID: builder.state.userID(of: UserHandle(rawValue: UInt32(index)))!)
        }
        _ = base.network("twitter")
        _ = base.network("facebook")
        for index in 0..<builder.state.topicCount {
            _ = base.state.internTopic(named: builder.state.topicName(TopicID(rawValue: UInt32(index))))
        }
        return (base, events)
    }

    @Test("a restore hands the user records to the runner it is given, and waits for them")
    func restoreRunsWorkWhereTold() throws {
        var fixture = ModelFixture()
        for index in 0..<200 { fixture.react("fan-\(index)", "reshare", "user-\(index % 17)") }
        let bytes = fixture.state.serializedBytes()
        final class Runs: @unchecked Sendable { var started = 0, waited = 0 }
        let runs = Runs()
        // Runs the work later, when waited for: the restore must wait before it uses the records.
        let deferred = Concurrently { work in
            runs.started += 1
            return {
                runs.waited += 1
                if runs.waited == 1 { work() }
            }
        }
        let restored = try bytes.withUnsafeBytes {
            try InfluenceState(deserializing: $0, configuration: ModelConfiguration(), concurrently: deferred)
        }
        #expect(runs.started == 1 && runs.waited >= 1)
        #expect(restored.serializedBytes() == bytes)
    }

    @Test("replaying in one go, in batches, and across serialization round trips gives identical bytes and scores")
    func batchingAndRoundTrips() throws {
        let (base, events) = Self.stream()
        var straight = base
        for event in events { straight.apply(event) }

        var interrupted = base
        var position = 0
        var batch = 1
        while position < events.count {
            for event in events[position..<min(position + batch, events.count)] { interrupted.apply(event) }
            position += batch
            batch = batch * 3 + 1
            // Snapshot and restore between batches.
            let bytes = interrupted.state.serializedBytes()
            interrupted.state = try bytes.withUnsafeBytes {
                try InfluenceState(deserializing: $0, configuration: ModelConfiguration())
            }
            #expect(interrupted.state.serializedBytes() == bytes)
        }
        #expect(straight.state.serializedBytes() == interrupted.state.serializedBytes())
        for index in 0..<40 {
            let handle = straight.state.handle(of: "user-\(index)")
            if let handle {
                #expect(straight.state.score(of: handle) == interrupted.state.score(of: handle))
                #expect(straight.state.topicScores(of: handle) == interrupted.state.topicScores(of: handle))
            }
        }
        #expect(straight.state.trackedUserCount > 30)
        let withTopics = (0..<40).filter { straight.state.handle(of: "user-\($0)").map { !straight.state.topicScores(of: $0).isEmpty } ?? false }
        #expect(withTopics.count > 10, "the stream gives topics to many users")
    }

    @Test("serialization streams in chunks and restores identical behaviour")
    func roundTripBehaviour() throws {
        let (base, events) = Self.stream()
        var original = base
        for event in events[..<1_200] { original.apply(event) }
        var chunks = 0
        var bytes: [UInt8] = []
        original.state.serialize { chunk in
            chunks += 1
            bytes.append(contentsOf: chunk)
        }
        #expect(chunks > 10)
        var restored = original
        restored.state = try bytes.withUnsafeBytes { try InfluenceState(deserializing: $0, configuration: ModelConfiguration()) }
        for event in events[1_200...] {
            #expect(original.apply(event) == restored.apply(event))
        }
        #expect(original.state.serializedBytes() == restored.state.serializedBytes())
    }

    @Test("a copy is a snapshot: later writes to the original leave it unchanged")
    func copyOnWriteSnapshot() {
        let (base, events) = Self.stream()
        var live = base
        for event in events[..<800] { live.apply(event) }
        let snapshot = live.state
        let snapshotBytes = snapshot.serializedBytes()
        for event in events[800...] { live.apply(event) }
        #expect(snapshot.serializedBytes() == snapshotBytes)
        #expect(live.state.serializedBytes() != snapshotBytes)
    }

    /// Base addresses of the pages that events write at random places and no read needs.
    static func writeOnlyPages(of state: InfluenceState) -> [UInt] {
        func addresses<T>(_ array: PagedArray<T>) -> [UInt] {
            array.pages.map { page in page.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } }
        }
        return addresses(state.recent.buckets) + addresses(state.undoEntries) + addresses(state.pairs.entries)
    }

    /// How many of those pages are somewhere else now: each one was duplicated by a write.
    static func duplicatedPages(_ before: [UInt], _ after: [UInt]) -> Int {
        zip(before, after).filter { $0 != $1 }.count
    }

    @Test("a copy for reading answers every read as the state does, and shares no page that only events use")
    func readingCopy() {
        // Each state from its own stream() call: a base still alive would share every page. The
        // tables events write are one page each, at their full size from the start: a table that
        // grew would have new pages too, and look duplicated.
        var configuration = ModelConfiguration()
        configuration.dedupeCapacity = 2 << RecentEventWindow.pageShift
        configuration.undoCapacity = 1 << 12
        configuration.pairMemoryCapacity = 1 << PairMemory.pageShift
        var (live, events) = Self.stream(configuration: configuration)
        for event in events[..<800] { live.apply(event) }
        let reading = live.state.forReading()
        #expect(reading.isReadingCopy && !live.state.isReadingCopy)
        #expect(reading.internedUserCount == live.state.internedUserCount)
        #expect(reading.trackedUserCount == live.state.trackedUserCount)
        for index in 0..<live.state.internedUserCount {
            let user = UserHandle(rawValue: UInt32(index))
            #expect(reading.userID(of: user) == live.state.userID(of: user))
            #expect(reading.isTracked(user) == live.state.isTracked(user))
            #expect(reading.score(of: user) == live.state.score(of: user))
            #expect(reading.scoreCard(of: user) == live.state.scoreCard(of: user))
            #expect(reading.explain(user) == live.state.explain(user))
        }

        // While the reading copy lives, events write the dedupe window, undo log and pair memory
        // in place: no page of theirs is duplicated. A plain copy alive at the same time makes
        // the same events duplicate some of them (so the check can fail).
        let before = Self.writeOnlyPages(of: live.state)
        for event in events[800...] { live.apply(event) }
        #expect(Self.duplicatedPages(before, Self.writeOnlyPages(of: live.state)) == 0)
        withExtendedLifetime(reading) {}

        var other = Self.stream(configuration: configuration).base
        for event in events[..<800] { other.apply(event) }
        let plainCopy = other.state
        for event in events[800...] { other.apply(event) }
        #expect(Self.writeOnlyPages(of: plainCopy).count == 3)
        #expect(Self.duplicatedPages(Self.writeOnlyPages(of: plainCopy), Self.writeOnlyPages(of: other.state)) == 3)
        #expect(other.state.serializedBytes() == live.state.serializedBytes())
    }

    @Test("bad bytes are reported, never trusted and never a crash")
    func corruptInput() throws {
        let (base, events) = Self.stream()
        var fixture = base
        for event in events[..<300] { fixture.apply(event) }
        let bytes = fixture.state.serializedBytes()
        let configuration = ModelConfiguration()
        // Truncated at many points.
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
            #expect(throws: ModelError.self) {
                try Array(bytes[..<cut]).withUnsafeBytes { try InfluenceState(deserializing: $0, configuration: configuration) }
            }
        }
        // Bad magic, unknown version.
        var badMagic = bytes
        badMagic[0] ^= 0xFF
        #expect(throws: ModelError.unsupportedFormat("not a Resonance model state (bad magic)")) {
            try badMagic.withUnsafeBytes { try InfluenceState(deserializing: $0, configuration: configuration) }
        }
        var badVersion = bytes
        badVersion[4] = 99
        #expect(throws: ModelError.self) {
            try badVersion.withUnsafeBytes { try InfluenceState(deserializing: $0, configuration: configuration) }
        }
        // A changed configuration.
        var other = configuration
        other.halfLifeDays = 31
        #expect(throws: ModelError.configurationMismatch(expected: other.fingerprint, found: configuration.fingerprint)) {
            try bytes.withUnsafeBytes { try InfluenceState(deserializing: $0, configuration: other) }
        }
        // Trailing garbage.
        #expect(throws: ModelError.self) {
            try (bytes + [1, 2, 3]).withUnsafeBytes { try InfluenceState(deserializing: $0, configuration: configuration) }
        }
    }

    @Test("the event-id hash is FNV-1a 64, the same in every process")
    func stableHash() {
        #expect(StableHash.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(StableHash.fnv1a64("foobar") == 0x8594_4171_f739_67e8)
    }
}
