import Foundation
import ResonanceEngine
@testable import ResonanceModel
import Testing
import ResonanceTestSupport

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

    /// Snapshots written by earlier builds (`resonance snapshot benchmark --users 1000 --keep`) in
    /// model state formats 4 and 5, under that model's configuration: refused with a message that
    /// says so, and the partition is rebuilt by replay. The fingerprint is checked before the
    /// format; the state below shows that a format this build does not read is refused as well.
    @Test("a snapshot of an earlier model is refused with a clear message", arguments: [
        "model-format-4-1000-users.snapshot", "model-format-5-full-tables-1000-users.snapshot",
    ])
    func earlierModelIsRefused(fixture: String) throws {
        let path = TestPaths.packageRoot.appendingPathComponent("Tests/ResonanceEngineTests/Fixtures/\(fixture)").path
        do {
            _ = try SnapshotStore.load(path, configuration: ModelConfiguration())
            Issue.record("a snapshot of an earlier model was restored")
        } catch {
            #expect(error.message.contains("was built with model configuration"), "\(error.message)")
        }
    }

    @Test("model state of an earlier format is refused, naming both format versions")
    func earlierModelFormatIsRefused() throws {
        var state = try InfluenceState(configuration: ModelConfiguration())
        _ = state.intern(userID: "someone")
        var bytes = state.serializedBytes()
        bytes[4] = 7  // the format version follows the 4-byte magic, little-endian
        do {
            _ = try bytes.withUnsafeBytes { try InfluenceState(deserializing: $0, configuration: ModelConfiguration()) }
            Issue.record("a format-7 state was restored")
        } catch {
            #expect("\(error)".contains("format version 7, this build reads 8"), "\(error)")
        }
    }
}
