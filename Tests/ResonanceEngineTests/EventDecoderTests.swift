import Foundation
import ResonanceEngine
import ResonanceModel
import Testing
import ResonanceTestSupport

@Suite("Event decoder")
struct EventDecoderTests {
    /// One row of Schemas/examples.tsv.
    struct Example: CustomTestStringConvertible, Sendable {
        var file: String
        var key: String
        var expected: String
        var schemaCanTell: Bool
        var testDescription: String { file }
    }

    static let examples: [Example] = {
        let manifest = TestPaths.packageRoot.appendingPathComponent("Schemas/examples.tsv")
        let text = (try? String(contentsOf: manifest, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let columns = line.split(separator: "\t").map(String.init)
            return Example(file: columns[0], key: columns[1], expected: columns[2], schemaCanTell: columns[3] == "yes")
        }
    }()

    @Test("the examples manifest lists every example file")
    func manifestIsComplete() throws {
        let directory = TestPaths.packageRoot.appendingPathComponent("Schemas/examples")
        var onDisk: Set<String> = []
        for sub in ["valid", "invalid"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(sub).path) {
                onDisk.insert("examples/\(sub)/\(name)")
            }
        }
        #expect(Set(Self.examples.map(\.file)) == onDisk)
        #expect(Self.examples.count >= 20)
    }

    @Test("the decoder accepts the valid examples and rejects each invalid one for its reason", arguments: examples)
    func decoderAgreesWithExample(_ example: Example) throws {
        let bytes = try Data(contentsOf: TestPaths.packageRoot.appendingPathComponent("Schemas/\(example.file)"))
        #expect(outcome(of: Array(bytes), key: Array(example.key.utf8)) == example.expected)
    }

    @Test("the JSON Schema agrees with every example it can judge")
    func schemaAgreesWithExamples() throws {
        let checker = """
            import json, sys, jsonschema
            root = sys.argv[1]
            schema = json.load(open(root + "/Schemas/event.v1.schema.json"))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema)
            for line in open(root + "/Schemas/examples.tsv", encoding="utf-8"):
                if line.startswith("#") or not line.strip():
                    continue
                path, key, expected, schema_can_tell = line.rstrip("\\n").split("\\t")
                if schema_can_tell != "yes":
                    continue
                valid = validator.is_valid(json.load(open(root + "/Schemas/" + path, encoding="utf-8")))
                print(path, "valid" if valid else "invalid")
            """
        let (status, text) = try TestPaths.runPython(checker)
        #expect(status == 0, "the schema checker failed; is jsonschema installed (scripts/bootstrap)?")
        var verdicts: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            verdicts[String(parts[0])] = String(parts[1])
        }
        let judged = Self.examples.filter(\.schemaCanTell)
        #expect(verdicts.count == judged.count)
        for example in judged {
            #expect(verdicts[example.file] == (example.expected == "valid" ? "valid" : "invalid"), "\(example.file)")
        }
    }

    @Test("decoded fields are the event's values, with escapes resolved")
    func decodesFields() throws {
        let json = #"{"v":1,"id":"e\"1","kind":"profile","network":"tw","time":-5,"user":"b\u00f6b","followers":12,"following":0,"lists":3,"flags":["bot","inactive"],"note":null}"#
        let decoder = EventDecoder()
        try Array(json.utf8).withUnsafeBytes { value in
            let event = try decoder.decode(value, key: nil)
            #expect(event.kind == .profile)
            #expect(String(decoding: event.id, as: UTF8.self) == "e\"1")
            #expect(String(decoding: event.user, as: UTF8.self) == "böb")
            #expect(String(decoding: event.subject, as: UTF8.self) == "böb")
            #expect(String(decoding: event.network, as: UTF8.self) == "tw")
            #expect(event.time == -5)
            #expect(event.followers == 12 && event.following == 0 && event.lists == 3)
            #expect(event.flags == [.bot, .inactive])
            // Hashes of the unescaped bytes, made on the decoding thread for the processing one.
            #expect(event.idHash == StableHash.fnv1a64("e\"1"))
            #expect(event.subjectHash == "böb".withUTF8Bytes { UserIDHash($0) })
            #expect(event.actorHash == .none)
        }
        let reaction = #"{"v":1,"id":"r1","kind":"reaction","network":"tw","time":1,"action":"like","actor":"a\u0062","target":"t"}"#
        try Array(reaction.utf8).withUnsafeBytes { value in
            let event = try decoder.decode(value, key: nil)
            #expect(event.idHash == StableHash.fnv1a64("r1"))
            #expect(event.actorHash == "ab".withUTF8Bytes { UserIDHash($0) })
            #expect(event.subjectHash == "t".withUTF8Bytes { UserIDHash($0) })
            #expect(event.actorHash != event.subjectHash)
        }
    }

    @Test("a post's topics are read in order, escapes resolved; the model keeps each once")
    func postTopics() throws {
        let json = #"{"v":1,"id":"p1","kind":"post","network":"tw","time":1,"author":"a","content":"c","topics":["caf\u00e9","run\"ning","caf\u00e9"]}"#
        let decoder = EventDecoder()
        try Array(json.utf8).withUnsafeBytes { value in
            let event = try decoder.decode(value, key: nil)
            #expect(event.topics.map { String(decoding: $0, as: UTF8.self) } == ["café", "run\"ning", "café"])
        }
    }

    @Test("a reaction's actor_created is read; other kinds' is ignored")
    func actorCreated() throws {
        let decoder = EventDecoder()
        let reaction = #"{"v":1,"id":"r1","kind":"reaction","network":"tw","time":2000,"action":"like","actor":"a","target":"t","actor_created":1500}"#
        try Array(reaction.utf8).withUnsafeBytes { value in
            let event = try decoder.decode(value, key: nil)
            #expect(event.actorCreated == 1500)
        }
        let unreported = #"{"v":1,"id":"r1","kind":"reaction","network":"tw","time":2000,"action":"like","actor":"a","target":"t"}"#
        try Array(unreported.utf8).withUnsafeBytes { value in
            let event = try decoder.decode(value, key: nil)
            #expect(event.actorCreated == nil)
        }
        // Other kinds ignore it, whatever its value, as an unknown field.
        for value in ["9999", "-1", "\"soon\"", "1.5", "[1]"] {
            let post = #"{"v":1,"id":"p1","kind":"post","network":"tw","time":2000,"author":"a","content":"c","actor_created":"# + value + "}"
            try Array(post.utf8).withUnsafeBytes { bytes in
                let event = try decoder.decode(bytes, key: nil)
                #expect(event.actorCreated == nil)
            }
        }
        // On a reaction, anything but an integer from 0 to the reaction's time is an invalid field.
        for value in ["-1", "2001", "\"soon\"", "1.5"] {
            let bad = #"{"v":1,"id":"r1","kind":"reaction","network":"tw","time":2000,"action":"like","actor":"a","target":"t","actor_created":"# + value + "}"
            Array(bad.utf8).withUnsafeBytes { bytes in
                #expect {
                    try decoder.decode(bytes, key: nil)
                } throws: { error in
                    (error as? EventRejection)?.reason == .invalidField && "\(error)".contains("actor_created")
                }
            }
        }
    }

    @Test("every kind of broken input is rejected with a reason, never a crash", arguments: [
        ("", "malformed_json"),
        ("null", "malformed_json"),
        ("{", "malformed_json"),
        (#"{"v":1}x"#, "malformed_json"),
        (#"{"v":1,"v":1}"#, "invalid_field"),
        (#"{"kind":"post"}"#, "unsupported_version"),
        (#"{"v":1}"#, "unknown_kind"),
        (#"{"v":1,"kind":7}"#, "malformed_json"),
        (#"{"v":1,"kind":"post","id":"a","network":"n","time":1,"author":"x"}"#, "missing_field"),
        (#"{"v":1,"kind":"post","id":"a","network":"n","time":99999999999999999999,"author":"x","content":"c"}"#, "invalid_field"),
        (#"{"v":1,"kind":"post","id":"a\u12","network":"n","time":1,"author":"x","content":"c"}"#, "malformed_json"),
        (#"{"v":1,"kind":"post","id":"\ud800","network":"n","time":1,"author":"x","content":"c"}"#, "invalid_utf8"),
        (#"{"v":1,"kind":"post","id":"a","network":"n","time":01,"author":"x","content":"c"}"#, "malformed_json"),
        (#"{"v":1,"kind":"post","id":"a","network":"n","time":1,"author":"x","content":"c","z":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"#, "malformed_json"),
    ])
    func rejectsBrokenInput(_ input: String, _ reason: String) {
        #expect(outcome(of: Array(input.utf8)) == reason)
    }

    @Test("overlong UTF-8, surrogates and a missing key are rejected")
    func rejectsBadBytesAndKeys() {
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            let message = Array(#"{"v":1,"id":""#.utf8) + bad + Array(#""}"#.utf8)
            #expect(outcome(of: message) == "invalid_utf8", "\(bad)")
        }
        let event = Array(#"{"v":1,"id":"a","kind":"erase","time":1,"user":"u"}"#.utf8)
        #expect(outcome(of: event, key: []) == "key_mismatch")
        #expect(outcome(of: event, key: Array("u".utf8)) == "valid")
    }

    @Test("a message over the size limit is rejected as oversized")
    func rejectsOversized() {
        var limits = DecoderLimits()
        limits.maxMessageBytes = 100
        let message = Array(repeating: UInt8(ascii: " "), count: 101)
        #expect(outcome(of: message, decoder: EventDecoder(limits: limits)) == "oversized")
    }

    /// "valid", or the rejection reason's name.
    private func outcome(of message: [UInt8], key: [UInt8]? = nil, decoder: EventDecoder = EventDecoder()) -> String {
        message.withUnsafeBytes { value in
            let result: Result<DecodedEvent, EventRejection>
            if let key {
                result = key.withUnsafeBytes { keyBytes in Result { () throws(EventRejection) in try decoder.decode(value, key: keyBytes) } }
            } else {
                result = Result { () throws(EventRejection) in try decoder.decode(value, key: nil) }
            }
            switch result {
            case .success: return "valid"
            case .failure(let rejection): return rejection.reason.rawValue
            }
        }
    }
}

extension String {
    fileprivate func withUTF8Bytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        var copy = self
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
}
