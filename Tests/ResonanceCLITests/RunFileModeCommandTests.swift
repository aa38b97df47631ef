import Foundation
import ResonanceEngine
import Testing
import ResonanceTestSupport

/// `resonance run --input` as a user pipes it: standard output carries only score changes.
@Suite("run --input on the command line")
struct RunFileModeCommandTests {
    /// `count` reactions as JSON lines, each from a new fan to one of `stars` users.
    static func reactions(_ count: Int, action: String, stars: Int) -> Data {
        var lines = Data()
        for index in 0..<count {
            let event = EventJSON.reaction(id: "e\(index)", network: "twitter", time: 1_700_000_000_000 + Int64(index),
                                           action: action, actor: "fan-\(index)", target: "star-\(index % stars)")
            lines.append(contentsOf: event.value)
            lines.append(UInt8(ascii: "\n"))
        }
        return lines
    }

    @Test("with changes on standard output, every line is a score change and the summary goes to standard error")
    func standardOutputIsOnlyChanges() throws {
        let run = try ResonanceProcess.pipe(["run", "--input", "-"], input: Self.reactions(50, action: "reshare", stars: 3))
        #expect(run.status == 0)
        let printed = run.output, reported = run.errors
        let changes = printed.split(separator: "\n")
        #expect(changes.count >= 3)
        for line in changes {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["user"] is String, "not a score change: \(line)")
        }
        #expect(reported.contains("rank  user"))
        #expect(reported.contains("50 lines, 50 applied"))
    }

    @Test("with --state-dir the final state is kept as a snapshot that resonance scores reads")
    func keepsStateWhenAsked() throws {
        let lines = Self.reactions(30, action: "like", stars: 2)
        let directory = try BrokerSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try ResonanceProcess.pipe(["run", "--input", "-", "--output", "/dev/null", "--state-dir", directory], input: lines)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.errors.contains("final state written to"))
        let scores = try ResonanceProcess.pipe(["scores", "--state-dir", directory, "--format", "csv"], input: Data())
        #expect(scores.status == 0, "\(scores.errors)")
        let users = scores.output.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
        // The users who received reactions: the ones with a score.
        #expect(Set(users.map(String.init)) == ["star-0", "star-1"])
    }
}

/// Where `--output` points is written in place, never replaced.
@Suite("Byte output")
struct ByteOutputTests {
    @Test("a path that is a symlink stays a symlink, and the file it points to gets the bytes")
    func writesThroughSymlink() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("byte-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("target.jsonl").path
        let link = directory.appendingPathComponent("link.jsonl").path
        try Data("old contents, longer than the new\n".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let output = try ByteOutput(path: link)
        try output.writeLine(Array("{\"v\":1}".utf8))
        try output.close()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "{\"v\":1}\n")
    }

    @Test("an unwritable path is a clear error")
    func unwritable() {
        #expect(throws: (any Error).self) { try ByteOutput(path: "/nonexistent-directory/out.jsonl") }
    }
}
