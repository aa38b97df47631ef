import Foundation
import ResonanceEngine
import ResonanceModel
import Testing
import ResonanceTestSupport

/// `resonance calibrate`, run as the executable on a JSON-lines file of events.
@Suite("resonance calibrate")
struct CalibrateCommandTests {
    func run(_ arguments: [String], in directory: String) throws -> (status: Int32, output: String) {
        let process = try ResonanceProcess(arguments, logPath: "\(directory)/calibrate-\(UUID().uuidString).log")
        let status = try process.wait(timeout: .seconds(120))
        return (status, process.log)
    }

    @Test("prints [model] lines that a configuration file accepts, and writes them with --output")
    func printsConfiguration() throws {
        let directory = try BrokerSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var lines = ""
        var next = 0
        for user in 0..<200 {
            for fan in 0..<(1 + 100 / (user + 1)) {
                next += 1
                let event = EventJSON.reaction(
                    id: "r\(next)", network: "twitter", time: 1_704_067_200_000 + Int64(next) * 60_000,
                    action: "reshare", actor: "fan\(fan)", target: "user\(user)")
                lines += String(decoding: event.value, as: UTF8.self) + "\n"
            }
        }
        try lines.write(toFile: "\(directory)/events.jsonl", atomically: true, encoding: .utf8)
        let (status, output) = try run(
            ["calibrate", "--input", "\(directory)/events.jsonl", "--target-mean", "35", "--target-p95", "70",
             "--output", "\(directory)/scale.toml"], in: directory)
        #expect(status == 0, "\(output)")
        #expect(output.contains("200 users with a counted reaction"))
        #expect(output.contains("settled"))
        let written = try String(contentsOfFile: "\(directory)/scale.toml", encoding: .utf8)
        #expect(written.contains("[model]\nscale_reference = "))
        #expect(output.contains(written), "standard output holds the same lines")
        var configuration = ResonanceConfiguration()
        try configuration.apply(file: "\(directory)/scale.toml")
        #expect(configuration.model.scaleReference != ModelConfiguration().scaleReference)
        #expect(configuration.model.scaleExponent != ModelConfiguration().scaleExponent)
    }

    @Test("too little data and impossible targets are clear errors")
    func errors() throws {
        let directory = try BrokerSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let one = EventJSON.reaction(id: "a", network: "twitter", time: 1_704_067_200_000, action: "like", actor: "x", target: "y")
        try (String(decoding: one.value, as: UTF8.self) + "\n").write(toFile: "\(directory)/one.jsonl", atomically: true, encoding: .utf8)
        let (status, output) = try run(["calibrate", "--input", "\(directory)/one.jsonl"], in: directory)
        #expect(status != 0)
        #expect(output.contains("cannot fit the scale to 1 user(s)"), "\(output)")
        let (badStatus, badOutput) = try run(["calibrate", "--input", "\(directory)/one.jsonl", "--target-mean", "70"], in: directory)
        #expect(badStatus != 0)
        #expect(badOutput.contains("--target-mean"), "\(badOutput)")
    }
}
