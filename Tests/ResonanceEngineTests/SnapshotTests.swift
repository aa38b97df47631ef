import Foundation
import ResonanceEngine
@testable import ResonanceModel
import Testing

@Suite("Snapshots: atomic files, checked on load, never trusted when damaged")
struct SnapshotTests {
    static let start: Int64 = 1_600_000_000_000

    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resonance-snap-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A partition that has applied `count` reactions, and the events after them.
    func fedProcessor(events count: Int) throws -> EventFeeder {
        let feeder = EventFeeder(processor: try PartitionProcessor(partition: 1, configuration: ModelConfiguration()))
        for index in 0..<count { feeder.apply(event(index), wallClock: 1_700_000_000_000) }
        return feeder
    }

    func event(_ index: Int) -> EncodedEvent {
        EventJSON.reaction(
            id: "e\(index)", network: index % 3 == 0 ? "mastodon" : "twitter", time: Self.start + Int64(index) * 30_000,
            action: ["like", "reshare", "comment"][index % 3], actor: "fan\(index % 53)", target: "user\(index % 17)")
    }

    func scores(_ processor: PartitionProcessor) -> [String: Double] {
        var result: [String: Double] = [:]
        processor.state.forEachTrackedUser { handle in
            result[processor.state.userID(of: handle)!] = processor.state.score(of: handle)
        }
        return result
    }

    @Test("a snapshot restores the exact state: continuing from it equals never stopping")
    func roundTripThenContinue() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = SnapshotStore(directory: directory)
        let interrupted = try fedProcessor(events: 300)
        try store.write(interrupted.processor.snapshot(nextOffsets: ["in": 300]), createdAt: 1)

        let (snapshot, _) = try #require(store.loadNewest(partition: 1, configuration: ModelConfiguration(), skipped: { Issue.record("skipped: \($0)") }))
        #expect(snapshot.nextOffsets == ["in": 300])
        #expect(snapshot.sequence == 300)
        let resumed = EventFeeder(processor: PartitionProcessor(restoring: snapshot))
        let uninterrupted = try fedProcessor(events: 300)
        for index in 300..<600 {
            resumed.apply(event(index), wallClock: 1_700_000_000_000)
            uninterrupted.apply(event(index), wallClock: 1_700_000_000_000)
        }
        #expect(resumed.processor.state.serializedBytes() == uninterrupted.processor.state.serializedBytes(), "bit-identical state")
        #expect(scores(resumed.processor) == scores(uninterrupted.processor))
        #expect(resumed.processor.sequence == uninterrupted.processor.sequence)
    }

    @Test("only the newest few snapshots are kept, newest first")
    func retention() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = SnapshotStore(directory: directory, keep: 2)
        let feeder = try fedProcessor(events: 10)
        for round in 0..<4 {
            feeder.apply(event(100 + round), wallClock: 1_700_000_000_000)
            try store.write(feeder.processor.snapshot(nextOffsets: ["in": Int64(11 + round)]), createdAt: Int64(round))
        }
        let files = store.files(of: 1)
        #expect(files.count == 2)
        let newest = try SnapshotStore.load(files[0], configuration: ModelConfiguration())
        #expect(newest.nextOffsets == ["in": 14])
        #expect(!FileManager.default.fileExists(atPath: files[0] + ".tmp"))
    }

    /// Writes two snapshots (offsets 100 then 200), damages the newest with `damage`, and returns
    /// what loading picks and what it reported.
    func loadAfterDamaging(_ damage: (String) throws -> Void, configuration: ModelConfiguration = ModelConfiguration()) throws -> (offsets: [String: Int64]?, skipped: [String]) {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = SnapshotStore(directory: directory)
        let feeder = try fedProcessor(events: 100)
        try store.write(feeder.processor.snapshot(nextOffsets: ["in": 100]), createdAt: 1)
        for index in 100..<200 { feeder.apply(event(index), wallClock: 1_700_000_000_000) }
        try store.write(feeder.processor.snapshot(nextOffsets: ["in": 200]), createdAt: 2)
        try damage(store.files(of: 1)[0])
        var skipped: [String] = []
        let loaded = store.loadNewest(partition: 1, configuration: configuration) { skipped.append($0) }
        return (loaded?.snapshot.nextOffsets, skipped)
    }

    @Test("a truncated snapshot is reported and the previous one is used")
    func truncated() throws {
        let (offsets, skipped) = try loadAfterDamaging { path in
            let handle = try #require(FileHandle(forWritingAtPath: path))
            let size = try handle.seekToEnd()
            try handle.truncate(atOffset: size / 2)
            try handle.close()
        }
        #expect(offsets == ["in": 100])
        #expect(skipped.count == 1 && skipped[0].contains("truncated"))
    }

    @Test("a flipped bit anywhere fails the checksum and the previous snapshot is used", arguments: [0.3, 0.6, 0.95])
    func bitFlip(at fraction: Double) throws {
        let (offsets, skipped) = try loadAfterDamaging { path in
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let position = Int(Double(bytes.count) * fraction)
            bytes[position] ^= 0x10
            try bytes.write(to: URL(fileURLWithPath: path))
        }
        #expect(offsets == ["in": 100])
        #expect(skipped.count == 1)
        #expect(skipped.first?.contains("checksum") == true || skipped.first?.contains("damaged") == true)
    }

    @Test("an unknown format version is reported, not guessed at")
    func unknownVersion() throws {
        let (offsets, skipped) = try loadAfterDamaging { path in
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            bytes.replaceSubrange(5..<8, with: Array("v09".utf8))
            try bytes.write(to: URL(fileURLWithPath: path))
        }
        #expect(offsets == ["in": 100])
        #expect(skipped.first?.contains("unknown snapshot format version") == true)
    }

    @Test("under a changed model configuration no snapshot is used: the partition is rebuilt")
    func changedConfiguration() throws {
        var changed = ModelConfiguration()
        changed.halfLifeDays = 7
        let (offsets, skipped) = try loadAfterDamaging({ _ in }, configuration: changed)
        #expect(offsets == nil)
        #expect(skipped.count == 2)
        #expect(skipped.allSatisfy { $0.contains("model configuration") })
    }

    @Test("an unwritable state directory is an error that leaves the last good snapshot in place")
    func unwritableDirectory() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = SnapshotStore(directory: directory)
        let feeder = try fedProcessor(events: 50)
        try store.write(feeder.processor.snapshot(nextOffsets: ["in": 50]), createdAt: 1)
        // A state directory that cannot be written whoever runs the test (root ignores
        // permissions): the partition's directory replaced by a plain file.
        let blocked = SnapshotStore(directory: directory + "/blocked")
        FileManager.default.createFile(atPath: directory + "/blocked", contents: Data("not a directory".utf8))
        feeder.apply(event(60), wallClock: 1_700_000_000_000)
        let writer = SnapshotWriter(store: blocked, clock: TestClock().wallClock)
        let outcome = writer.writeNow(feeder.processor.snapshot(nextOffsets: ["in": 51]))
        guard case .failure(let error) = outcome.result else {
            Issue.record("a write into an unwritable state directory succeeded")
            return
        }
        #expect(error.message.contains("cannot create"))
        let loaded = store.loadNewest(partition: 1, configuration: ModelConfiguration()) { _ in }
        #expect(loaded?.snapshot.nextOffsets == ["in": 50])
    }

    @Test("a full disk fails the write with a clear error, removes the partial file, and keeps the last good snapshot")
    func fullDisk() throws {
        // /dev/full accepts opens and fails every write with ENOSPC: a full disk on demand.
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = SnapshotStore(directory: directory)
        let feeder = try fedProcessor(events: 50)
        try store.write(feeder.processor.snapshot(nextOffsets: ["in": 50]), createdAt: 1)
        // The writer writes to "<name>.tmp": make that name the full device.
        let partition = directory + "/partition-1"
        feeder.apply(event(60), wallClock: 1_700_000_000_000)
        let name = String(format: "%020lld-%013lld.snapshot", feeder.processor.sequence, 7)
        try FileManager.default.createSymbolicLink(atPath: "\(partition)/\(name).tmp", withDestinationPath: "/dev/full")
        let writer = SnapshotWriter(store: store, clock: WallClock { 7 })
        let outcome = writer.writeNow(feeder.processor.snapshot(nextOffsets: ["in": 51]))
        guard case .failure(let error) = outcome.result else {
            Issue.record("a write to a full device succeeded")
            return
        }
        #expect(error.message.contains("No space left"))
        #expect(!FileManager.default.fileExists(atPath: "\(partition)/\(name)"))
        let loaded = store.loadNewest(partition: 1, configuration: ModelConfiguration()) { _ in }
        #expect(loaded?.snapshot.nextOffsets == ["in": 50])
    }

    /// A snapshot written by the build before tagged user-table slots (model state format 4):
    /// `resonance snapshot benchmark --users 1000 --keep` at fedba1a, with the [model] below.
    @Test("a snapshot of the previous model format (4) restores to the state this build makes from the same events")
    func previousModelFormatRestores() throws {
        let configuration = Self.fixtureConfiguration(dedupe: 1024, undo: 256, pairs: 1024)
        var restored = try Self.loadFixture("model-format-4-1000-users.snapshot", configuration: configuration)

        // The same events as `SnapshotCommand.Benchmark.populate`, applied by this build.
        var fresh = try InfluenceState(configuration: configuration)
        try Self.populate(&fresh)
        // Bit-identical once converted: the tags were added from the stored hashes, in place.
        #expect(restored.serializedBytes() == fresh.serializedBytes())
        for index in [0, 1, 499, 998, 999] {
            #expect(restored.handle(of: "user-\(index)") == UserHandle(rawValue: UInt32(index)))
            #expect(restored.score(of: UserHandle(rawValue: UInt32(index))) == fresh.score(of: UserHandle(rawValue: UInt32(index))))
        }
        #expect(restored.handle(of: "user-1000") == nil)
        let added = restored.intern(userID: "user-1000")
        let again = restored.intern(userID: "user-1000")
        #expect(added == UserHandle(rawValue: 1000) && again == added)
    }

    /// A snapshot written before the dedupe window, undo log and pair memory grew with the input
    /// (model state format 5, every table at full size): `resonance snapshot benchmark --users
    /// 1000 --keep` at c43898a, with the [model] below.
    @Test("a snapshot of format 5 (full-size tables) restores, and goes on as a state that grew its tables")
    func fullTablesFormatRestores() throws {
        let configuration = Self.fixtureConfiguration(dedupe: 65536, undo: 16384, pairs: 65536)
        var restored = try Self.loadFixture("model-format-5-full-tables-1000-users.snapshot", configuration: configuration)
        #expect(restored.recent.buckets.count == restored.recent.fullBucketCount)
        #expect(restored.undoEntries.count == configuration.undoCapacity)

        // The same events as `SnapshotCommand.Benchmark.populate`, applied by this build: its
        // tables are still at their first size.
        var fresh = try InfluenceState(configuration: configuration)
        try Self.populate(&fresh)
        let twitterNetwork = fresh.internNetwork(named: "twitter")  // the one populate made
        let twitter = try #require(twitterNetwork)
        let reshare = try #require(fresh.action(named: "reshare"))
        func reaction(_ index: Int, actor: UserHandle, target: UserHandle) -> Reaction {
            Self.benchmarkReaction(index, network: twitter, action: reshare, actor: actor, target: target)
        }
        #expect(fresh.recent.buckets.count < restored.recent.buckets.count)
        #expect(fresh.undoEntries.count < restored.undoEntries.count)
        for index in 0..<1000 {
            #expect(restored.score(of: UserHandle(rawValue: UInt32(index))) == fresh.score(of: UserHandle(rawValue: UInt32(index))))
        }
        // Both go on alike: redeliveries of the snapshot's events are duplicates, an undo of one
        // finds it, and 20,000 more reactions take the fresh state's tables through their doublings.
        for index in 0..<21_000 {
            let target = UserHandle(rawValue: UInt32((index * 7) % 1000))
            let actor = UserHandle(rawValue: UInt32((index * 13 + 1) % 1000))
            let event = ModelEvent.reaction(reaction(index, actor: actor, target: target))
            let expected = fresh.apply(event) { _ in nil }
            let fromRestored = restored.apply(event) { _ in nil }
            #expect(fromRestored == expected, "event \(index)")
            if index < 1000 { #expect(expected == .duplicate) }
        }
        let undone = reaction(20_990, actor: UserHandle(rawValue: UInt32((20_990 * 13 + 1) % 1000)), target: UserHandle(rawValue: UInt32((20_990 * 7) % 1000)))
        let undo = ModelEvent.undo(Undo(idHash: 77, time: undone.time + 1, undoesHash: undone.idHash, actor: undone.actor, target: undone.target))
        let freshUndo = fresh.apply(undo) { _ in nil }
        let restoredUndo = restored.apply(undo) { _ in nil }
        #expect(freshUndo == .changed(undone.target) && restoredUndo == .changed(undone.target))
        #expect(fresh.recent.buckets.count == 16384)
        for index in 0..<1000 {
            #expect(restored.score(of: UserHandle(rawValue: UInt32(index))) == fresh.score(of: UserHandle(rawValue: UInt32(index))))
        }
    }

    /// The default model with the anti-gaming capacities a fixture was written under, and the
    /// account-age factor off (the fixtures predate it; off, the fingerprint is theirs).
    static func fixtureConfiguration(dedupe: Int, undo: Int, pairs: Int) -> ModelConfiguration {
        var configuration = ModelConfiguration()
        configuration.newAccountDays = 0
        configuration.dedupeCapacity = dedupe
        configuration.undoCapacity = undo
        configuration.pairMemoryCapacity = pairs
        return configuration
    }

    /// The state in snapshot fixture `name` (Tests/ResonanceEngineTests/Fixtures).
    static func loadFixture(_ name: String, configuration: ModelConfiguration) throws -> InfluenceState {
        let path = TestPaths.packageRoot.appendingPathComponent("Tests/ResonanceEngineTests/Fixtures/\(name)").path
        return try SnapshotStore.load(path, configuration: configuration).state
    }

    /// Reaction `index` of `SnapshotCommand.Benchmark.populate`.
    static func benchmarkReaction(_ index: Int, network: NetworkID, action: ActionID, actor: UserHandle, target: UserHandle) -> Reaction {
        Reaction(
            idHash: UInt64(index) &* 0x9E37_79B9_7F4A_7C15, time: 1_704_067_200_000 + Int64(index),
            network: network, action: action, actor: actor, target: target)
    }

    /// Applies the events `resonance snapshot benchmark --users 1000` populates its state with
    /// (`SnapshotCommand.Benchmark.populate`), which the snapshot fixtures were written from.
    static func populate(_ state: inout InfluenceState) throws {
        let twitterNetwork = state.internNetwork(named: "twitter")
        let twitter = try #require(twitterNetwork)
        let reshare = try #require(state.action(named: "reshare"))
        var random: UInt64 = 0x9E37_79B9_7F4A_7C15
        for index in 0..<1000 {
            let interned = state.intern(userID: "user-\(index)")
            let target = try #require(interned)
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let actor = UserHandle(rawValue: UInt32(Int(random >> 33) % (index + 1)))
            _ = state.apply(.reaction(benchmarkReaction(index, network: twitter, action: reshare, actor: actor, target: target))) { _ in nil }
        }
    }
}
