import Foundation
import ResonanceEngine
import Testing
import ResonanceTestSupport

/// `resonance produce --live`: a data set replayed as a live feed, each event's `time` set to
/// the wall clock when it is sent.
@Suite("Replaying a data set as a live feed")
struct LiveReplayTests {
    static func json(_ event: EncodedEvent) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(event.value)) as? [String: Any]
    }

    @Test("only the top-level time changes; a time inside a string, a nested object or an array stays")
    func rewritesTopLevelTime() throws {
        let reaction = EventJSON.reaction(
            id: "r1", network: "twitter", time: 1_600_000_000_000, action: "like", actor: "a", target: "b")
        let moved = try #require(reaction.happening(at: 1_795_000_000_123))
        #expect(moved.time == 1_795_000_000_123)
        #expect(moved.key == reaction.key)
        var expected = try #require(Self.json(reaction))
        expected["time"] = 1_795_000_000_123
        #expect(NSDictionary(dictionary: try #require(Self.json(moved))) == NSDictionary(dictionary: expected))

        let tricky = #"{"v":1, "content":"\"time\":5", "nested":{"time":6}, "list":[{"time":7}], "time" : -42 ,"id":"x"}"#
        let event = EncodedEvent(key: Array("k".utf8), value: Array(tricky.utf8), time: -42)
        let rewritten = try #require(event.happening(at: 99))
        #expect(String(decoding: rewritten.value, as: UTF8.self)
            == #"{"v":1, "content":"\"time\":5", "nested":{"time":6}, "list":[{"time":7}], "time" : 99 ,"id":"x"}"#)
    }

    @Test("a value without a top-level time number is not rewritten")
    func refusesWithoutTime() {
        for text in [#"{"nested":{"time":6}}"#, #"{"time":"soon"}"#, #"{"content":"time"}"#, #"{"time""#, "[1,2]"] {
            let event = EncodedEvent(key: [], value: Array(text.utf8), time: 0)
            #expect(event.happening(at: 5) == nil, "\(text)")
        }
    }

    @Test("produce --live --rate sends every event with the wall-clock time of its sending", .enabled(if: BrokerSupport.address != nil, "needs RESONANCE_TEST_BROKERS"))
    func producesLive() throws {
        let directory = try BrokerSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = "\(directory)/events.jsonl"
        var lines: [String] = []
        for index in 0..<40 {
            let event = EventJSON.reaction(
                id: "live-\(index)", network: "twitter", time: 1_300_000_000_000 + Int64(index),
                action: "reshare", actor: "fan\(index % 7)", target: "star\(index % 3)")
            lines.append(String(decoding: event.value, as: UTF8.self))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let topic = BrokerSupport.uniqueTopic("live")
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let process = try ResonanceProcess(
            ["produce", "--brokers", BrokerSupport.brokers[0], "--topic", topic, "--live", "--rate", "400", "--keep-order", input],
            logPath: "\(directory)/produce.log")
        #expect(try process.wait(timeout: .seconds(60)) == 0, "\(process.log)")
        let after = Int64(Date().timeIntervalSince1970 * 1000)

        let records = try BrokerSupport.readAll(topic)
        #expect(records.count == 40)
        var seen = Set<String>()
        for record in records {
            let value = try #require(record.value)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(value)) as? [String: Any])
            let time = try #require(object["time"] as? Int64)
            #expect(time >= before && time <= after, "time \(time) outside [\(before), \(after)]")
            #expect(record.key.map { String(decoding: $0, as: UTF8.self) } == object["target"] as? String)
            seen.insert(try #require(object["id"] as? String))
        }
        #expect(seen == Set((0..<40).map { "live-\($0)" }))
    }

    @Test("--rate and --live are refused without a topic, and --rate must be positive")
    func validatesOptions() throws {
        let directory = try BrokerSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = "\(directory)/events.jsonl"
        try "".write(toFile: input, atomically: true, encoding: .utf8)
        let refusals: [(arguments: [String], reason: String)] = [
            (["--output", "\(directory)/out.jsonl", "--live"], "--rate and --live apply to producing to Kafka"),
            (["--topic", "t", "--rate", "0"], "--rate must be a positive number"),
            (["--topic", "t", "--rate=-5"], "--rate must be a positive number"),
        ]
        for (index, refusal) in refusals.enumerated() {
            let process = try ResonanceProcess(["produce"] + refusal.arguments + [input], logPath: "\(directory)/refused-\(index).log")
            #expect(try process.wait(timeout: .seconds(30)) != 0, "\(refusal.arguments)")
            #expect(process.log.contains(refusal.reason), "\(process.log)")
        }
    }
}
