import Foundation
import ResonanceEngine
import ResonanceModel
import Testing
import ResonanceTestSupport

/// `resonance scores` and `resonance snapshot inspect`, run as the executable on a state
/// directory written by a real partition.
@Suite("Looking inside state: resonance scores and resonance snapshot inspect")
struct InspectionCommandTests {
    func stateDirectory() throws -> (directory: String, scores: [String: Double], snapshot: String) {
        let directory = BrokerSupport.temporaryStateDirectory()
        let feeder = EventFeeder(processor: try PartitionProcessor(partition: 2, configuration: ModelConfiguration()))
        for index in 0..<120 {
            feeder.apply(
                EventJSON.reaction(
                    id: "e\(index)", network: index % 2 == 0 ? "twitter" : "mastodon", time: 1_600_000_000_000 + Int64(index) * 60_000,
                    action: "reshare", actor: "fan\(index % 23)", target: "user,\(index % 7)"),
                wallClock: 1_700_000_000_000)
        }
        let store = SnapshotStore(directory: directory)
        let path = try store.write(feeder.processor.snapshot(nextOffsets: ["reactions": 120]), createdAt: 1_700_000_000_000).path
        var scores: [String: Double] = [:]
        feeder.processor.state.forEachTrackedUser { handle in
            scores[feeder.processor.state.userID(of: handle)!] = feeder.processor.state.score(of: handle)
        }
        return (directory, scores, path)
    }

    func run(_ arguments: [String], in directory: String) throws -> (status: Int32, output: String) {
        let log = "\(directory)/command-\(UUID().uuidString).log"
        let process = try ResonanceProcess(arguments, logPath: log)
        let status = try process.wait(timeout: .seconds(60))
        return (status, process.log)
    }

    @Test("scores exports every user, highest first, as JSON lines and as CSV with quoted ids")
    func exportsScores() throws {
        let (directory, expected, _) = try stateDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (status, output) = try run(["scores", "--state-dir", directory, "--format", "jsonl"], in: directory)
        #expect(status == 0)
        let rows = output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(rows.count == expected.count)
        for row in rows {
            let user = try #require(row["user"] as? String)
            #expect(abs((row["score"] as? Double ?? -1) - (expected[user] ?? -2)) < 1e-5, "\(user)")
            #expect(row["partition"] as? Int == 2)
        }
        let scores = rows.compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >))

        let (csvStatus, csv) = try run(["scores", "--state-dir", directory, "--format", "csv"], in: directory)
        #expect(csvStatus == 0)
        let lines = csv.split(separator: "\n").filter { $0.hasPrefix("user,") || $0.hasPrefix("\"user,") }
        #expect(lines.first == "user,partition,score,reach,amplification,impact,networks,topics")
        #expect(lines.dropFirst().count == expected.count)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("\"user,") }, "ids with a comma are quoted")
    }

    @Test("scores --topic ranks the topic's holders by their score in it; a topic nobody holds is an error")
    func exportsTopicScores() throws {
        let directory = BrokerSupport.temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let feeder = EventFeeder(processor: try PartitionProcessor(partition: 1, configuration: ModelConfiguration()))
        var options = TopicWorld.Options()
        options.authors = 40
        options.fans = 400
        options.days = 20
        for event in TopicWorld.events(options) { feeder.apply(event, wallClock: options.start + 100 * 86_400_000) }
        _ = try SnapshotStore(directory: directory).write(feeder.processor.snapshot(nextOffsets: ["reactions": 1]), createdAt: 1_700_000_000_000)
        let state = feeder.processor.state
        var expected: [String: Double] = [:]
        state.forEachUser(inTopic: try #require(state.topicID(named: "chess"))) { expected[state.userID(of: $0)!] = $1 }
        #expect(expected.count >= 3)

        let (status, output) = try run(["scores", "--state-dir", directory, "--format", "jsonl", "--topic", "chess"], in: directory)
        #expect(status == 0)
        let rows = output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(rows.count == expected.count)
        for row in rows {
            let user = try #require(row["user"] as? String)
            #expect(abs((row["topic_score"] as? Double ?? -1) - (expected[user] ?? -2)) < 1e-5, "\(user)")
            #expect(row["topic"] as? String == "chess")
        }
        let ranked = rows.compactMap { $0["topic_score"] as? Double }
        #expect(ranked == ranked.sorted(by: >))

        let (missing, message) = try run(["scores", "--state-dir", directory, "--topic", "knitting"], in: directory)
        #expect(missing != 0)
        #expect(message.contains("no user") && message.contains("knitting"))
    }

    @Test("snapshot inspect shows the header of a valid snapshot and flags a damaged one with exit 1")
    func inspectsSnapshots() throws {
        let (directory, _, path) = try stateDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (status, output) = try run(["snapshot", "inspect", path], in: directory)
        #expect(status == 0)
        #expect(output.contains("partition           2"))
        #expect(output.contains("input offsets       reactions@120"))
        #expect(output.contains("(matches)"))
        #expect(output.contains("  valid"))

        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0x01
        let damaged = "\(directory)/damaged.snapshot"
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let (badStatus, badOutput) = try run(["snapshot", "inspect", damaged], in: directory)
        #expect(badStatus == 1)
        #expect(badOutput.contains("INVALID") && badOutput.contains("checksum"))
    }

    @Test("snapshot benchmark writes and restores a snapshot of the requested size, reports the times, and cleans up")
    func snapshotBenchmark() throws {
        let directory = try BrokerSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (status, output) = try run(["snapshot", "benchmark", "--users", "20000", "--state-dir", directory], in: directory)
        #expect(status == 0, "\(output)")
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("20000 users") })
        #expect(line.contains("copy on the processing thread") && line.contains("write") && line.contains("restore"))
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/partition-0"), "the snapshot is removed afterwards")
        let (badStatus, badOutput) = try run(["snapshot", "benchmark", "--users", "0", "--state-dir", directory], in: directory)
        #expect(badStatus != 0)
        #expect(badOutput.contains("--users"))
    }
}
