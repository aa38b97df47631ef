import Foundation
import ResonanceEngine
import ResonanceModel
import Testing
import ResonanceTestSupport

/// Reading score changes back from the scores topic: the one reader of that topic decodes every
/// change the pipeline writes, fast, for the global table and the HTTP API's history.
@Suite("Score changes read back")
struct ScoreChangeDecoderTests {
    @Test("every change a partition publishes reads back with the values it was written with (to the written decimals)")
    func roundTrip() throws {
        let feeder = EventFeeder(processor: try PartitionProcessor(partition: 0, configuration: ModelConfiguration()))
        for user in 0..<9 {
            feeder.apply(
                EventJSON.post(id: "p\(user)", network: "twitter", time: 1_700_000_000_000, author: "user\\\(user)", content: "post\(user)",
                               topics: user % 3 == 0 ? [] : ["chess", "go \"\(user)\""]),
                wallClock: 1_700_000_000_000)
        }
        for index in 0..<300 {
            feeder.apply(
                EventJSON.reaction(
                    id: "e\(index)", network: index % 3 == 0 ? "mastodon" : "twitter", time: 1_700_000_000_000 + Int64(index) * 60_000,
                    action: "reshare", actor: "fan \"\(index % 17)\"", target: "user\\\(index % 9)", content: "post\(index % 9)"),
                wallClock: 1_700_000_000_000 + Int64(index) * 2_000)  // past the per-user interval
        }
        #expect(feeder.published.count > 20)
        #expect(feeder.published.contains { $0.card?.topics.count == 2 }, "users with topics publish them")
        #expect(feeder.published.contains { $0.card.map { $0.topics.isEmpty && $0.score > 1 } == true }, "users without topics publish none")
        let decoder = ScoreChangeDecoder()
        var json = JSONWriter()
        for change in feeder.published {
            let card = try #require(change.card)
            #expect(change.encodedValue(into: &json))
            let read = try json.bytes.withUnsafeBytes { bytes in try decoder.decodePublished(bytes) }
            #expect(read.user == String(decoding: change.user, as: UTF8.self))
            #expect(abs(read.score - card.score) <= 0.005)
            #expect(abs(read.reach - card.reach) <= 0.05 * max(1, card.reach))
            #expect(abs(read.amplification - card.amplification) <= 0.005 * max(1, card.amplification))
            #expect(Set(read.networks.keys) == Set(card.networks.keys))
            for (network, score) in card.networks { #expect(abs((read.networks[network] ?? -1) - score) <= 0.005) }
            #expect(Set(read.topics.keys) == Set(card.topics.keys))
            for (topic, score) in card.topics { #expect(abs((read.topics[topic] ?? -1) - score) <= 0.005) }
            #expect(read.time == change.time)
            #expect(read.version == change.version)
            #expect(read.flagged == change.flagged)
            // The lean decode the table used alone agrees with the whole one.
            let fields = try json.bytes.withUnsafeBytes { bytes in try decoder.decode(bytes) }
            #expect(fields.score == read.score && fields.version == read.version)
        }
    }

    @Test("flagged, escapes, empty networks, unknown fields, and clear errors for broken changes")
    func edgeCases() throws {
        let change = try PublishedScore.decode(Array(
            #"{"v":1,"user":"a\"b","score":12.5,"previous":3,"reach":1,"amplification":0.5,"impact":2,"networks":{},"time":5,"version":7,"flagged":true,"extra":[1,{"x":null}]}"#.utf8))
        #expect(change == PublishedScore(user: "a\"b", score: 12.5, reach: 1, amplification: 0.5, impact: 2, networks: [:], time: 5, version: 7, flagged: true))
        for broken in [
            #"{"user":"a","score":1,"time":5}"#,  // no version
            #"{"user":"a","score":1,"version":2,"time":5,"networks":{"x":}}"#,
            #"{"user":"a","score":1,"version":2,"time":5"#,
            "[]", "",
        ] {
            #expect(throws: EventRejection.self, "\(broken)") { try PublishedScore.decode(Array(broken.utf8)) }
        }
        // The HTTP API shows `flagged` only when true, as the topic does.
        let shown = String(decoding: try JSONEncoder().encode(PublishedScore(user: "u", score: 2, reach: 0, amplification: 0, impact: 0, networks: [:], time: 1, version: 1)), as: UTF8.self)
        #expect(!shown.contains("flagged"))
    }

    @Test("the score-change examples: the schema accepts the valid ones and refuses the invalid one, and the decoder reads their topics")
    func examples() throws {
        let directory = TestPaths.packageRoot.appendingPathComponent("Schemas/score-change-examples")
        let withTopics = try PublishedScore.decode(Array(try Data(contentsOf: directory.appendingPathComponent("with-topics.json"))))
        #expect(withTopics.topics == ["chess": 58.2, "go": 31.07])
        let withoutTopics = try PublishedScore.decode(Array(try Data(contentsOf: directory.appendingPathComponent("without-topics.json"))))
        #expect(withoutTopics.topics.isEmpty)
        // The HTTP API shows `topics` only when there are some, as the scores topic does.
        #expect(!String(decoding: try JSONEncoder().encode(withoutTopics), as: UTF8.self).contains("topics"))
        let checker = """
            import json, sys, jsonschema
            root = sys.argv[1]
            validator = jsonschema.Draft202012Validator(json.load(open(root + "/Schemas/score-change.v1.schema.json")))
            for name in ["with-topics", "without-topics", "invalid-topic-score"]:
                print(name, "valid" if validator.is_valid(json.load(open(root + "/Schemas/score-change-examples/" + name + ".json"))) else "invalid")
            """
        let (status, text) = try TestPaths.runPython(checker)
        #expect(status == 0)
        #expect(text == "with-topics valid\nwithout-topics valid\ninvalid-topic-score invalid\n")
    }
}
