import Foundation
import ResonanceEngine
import ResonanceModel
import Testing
import ResonanceTestSupport

@Suite("resonance run --input (file mode)")
struct FileScorerTests {
    static let start: Int64 = 1_600_000_000_000

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("resonance-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("good lines are applied, bad lines go to the dead-letter file with line number and reason, output is valid score-change JSON")
    func scoresAFileWithBadLines() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var lines: [String] = []
        var good = 0
        for index in 0..<200 {
            let event = EventJSON.reaction(
                id: "r\(index)", network: index % 2 == 0 ? "twitter" : "mastodon", time: Self.start + Int64(index) * 60_000,
                action: ["like", "reshare", "comment", "mention"][index % 4], actor: "fan\(index % 37)", target: "user\(index % 5)")
            lines.append(String(decoding: event.value, as: UTF8.self))
            good += 1
            if index % 50 == 7 {
                lines.append(#"{"v":1,"id":"broken""#)
                lines.append(#"{"v":1,"id":"x","kind":"reaction","network":"twitter","time":1600000000000,"action":"poke","actor":"a","target":"b"}"#)
            }
        }
        let input = directory.appendingPathComponent("events.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let outputPath = directory.appendingPathComponent("scores.jsonl").path
        let deadPath = directory.appendingPathComponent("dead.jsonl").path

        let output = try ByteOutput(path: outputPath)
        let dead = try ByteOutput(path: deadPath)
        let scorer = try FileScorer(configuration: ModelConfiguration(), deadLetters: .file(dead))
        try scorer.run(input: try LineReader(path: input.path), output: output)
        try output.close()
        try dead.close()

        #expect(scorer.counters.messages == lines.count)
        #expect(scorer.counters.appliedTotal == good)
        #expect(scorer.counters.rejected == [.malformedJSON: 4, .unknownAction: 4])

        let deadLines = try String(contentsOfFile: deadPath, encoding: .utf8).split(separator: "\n")
        #expect(deadLines.count == 8)
        let first = try JSONSerialization.jsonObject(with: Data(deadLines[0].utf8)) as? [String: Any]
        #expect(first?["line"] as? Int == 9)
        #expect(first?["reason"] as? String == "malformed_json")
        #expect(first?["value"] as? String == #"{"v":1,"id":"broken""#)

        // Every user who received reactions ends with a published score equal to the state's.
        var latest: [String: Double] = [:]
        for line in try String(contentsOfFile: outputPath, encoding: .utf8).split(separator: "\n") {
            let change = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(change["v"] as? Int == 1)
            let networks = try #require(change["networks"] as? [String: Double])
            #expect(!networks.isEmpty)
            latest[change["user"] as! String] = change["score"] as? Double
        }
        #expect(Set(latest.keys) == Set((0..<5).map { "user\($0)" }))
        for (user, score) in latest {
            let handle = try #require(scorer.processor.state.handle(of: user))
            #expect(abs(scorer.processor.state.score(of: handle) - score) < 0.01, "\(user)")
        }
    }

    @Test("score changes written in file mode validate against the score-change JSON Schema")
    func outputMatchesSchema() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let events = (0..<20).map {
            EventJSON.reaction(id: "r\($0)", network: "twitter", time: Self.start + Int64($0), action: "reshare", actor: "a\($0)", target: "u\($0 % 3)")
        } + [EventJSON.erase(id: "gone", time: Self.start + 100, user: "u0")]
            + [EventJSON.post(id: "p", network: "twitter", time: Self.start + 101, author: "u1", content: "c", topics: ["chess", "go"])]
            + (0..<5).map {
                EventJSON.reaction(
                    id: "t\($0)", network: "twitter", time: Self.start + 102 + Int64($0), action: "reshare", actor: "b\($0)", target: "u1", content: "c")
            }
        let input = directory.appendingPathComponent("events.jsonl")
        try Data(events.flatMap { $0.value + [10] }).write(to: input)
        let outputPath = directory.appendingPathComponent("scores.jsonl").path
        let output = try ByteOutput(path: outputPath)
        let scorer = try FileScorer(configuration: ModelConfiguration())
        try scorer.run(input: try LineReader(path: input.path), output: output)
        try output.close()
        #expect(scorer.counters.tombstonesPublished == 1)

        let checker = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1] + "/Schemas/score-change.v1.schema.json"))
            validator = jsonschema.Draft202012Validator(schema)
            checked = 0
            topics = 0
            for line in open(sys.argv[2]):
                change = json.loads(line)
                if change.get("tombstone"):
                    continue
                validator.validate(change)
                checked += 1
                topics += "topics" in change
            print(checked, topics)
            """
        let (status, printed) = try TestPaths.runPython(checker, [outputPath])
        #expect(status == 0)
        let counts = printed.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(counts.count == 2 && counts[0] >= 3 && counts[1] >= 1, "changes checked, changes with topics: \(printed)")
    }
}
