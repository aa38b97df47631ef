import Foundation
import Testing

@testable import ResonanceEngine

@Suite("FileDecodeStage: lines decoded on a second thread, in batches")
struct FileDecodeStageTests {
    /// One line as a single-threaded reader and decoder see it.
    struct Seen: Equatable {
        var number: Int
        var line: [UInt8]
        var outcome: String
    }

    static func describe(_ outcome: Result<DecodedEvent, EventRejection>) -> String {
        switch outcome {
        case .success(let event):
            "\(event.kind) \(String(decoding: event.id, as: UTF8.self)) \(String(decoding: event.actor, as: UTF8.self)) "
                + "\(String(decoding: event.target, as: UTF8.self)) \(event.time)"
        case .failure(let rejection):
            "\(rejection)"
        }
    }

    func expectSameAsOneThread(_ text: String, batchBytes: Int, batchCount: Int) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("resonance-stage-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(text.utf8).write(to: url)

        var expected: [Seen] = []
        let reader = try LineReader(path: url.path)
        let decoder = EventDecoder()
        try reader.forEachLine { line in
            guard !line.isEmpty else { return }
            let outcome = Result { () throws(EventRejection) in try decoder.decode(line, key: nil) }
            expected.append(Seen(number: reader.lineNumber, line: Array(line), outcome: Self.describe(outcome)))
        }

        let stage = FileDecodeStage(
            reader: try LineReader(path: url.path), limits: DecoderLimits(), batchCount: batchCount, batchBytes: batchBytes)
        stage.start()
        defer { stage.stop() }
        var seen: [Seen] = []
        var held: [DecodedBatch] = []
        while let batch = stage.decoded.take() {
            for entry in batch.entries {
                let outcome: Result<DecodedEvent, EventRejection> =
                    switch entry.outcome {
                    case .event(let event): .success(event)
                    case .rejected(let rejection): .failure(rejection)
                    }
                seen.append(Seen(number: entry.number, line: Array(batch.line(entry)), outcome: Self.describe(outcome)))
            }
            // With batches to spare, keep the previous batch until the next one has come: the
            // decoder must not reuse a batch still held. (The decoder needs two batches of its
            // own when a line continues into the next, so with two in all, give each back now.)
            held.append(batch)
            if held.count > (batchCount >= 3 ? 1 : 0) { stage.recycle(held.removeFirst()) }
        }
        #expect(stage.failure == nil)
        #expect(seen == expected)
        #expect(!expected.isEmpty)
    }

    static func lines() -> String {
        var lines: [String] = []
        for index in 0..<300 {
            // Escapes put strings in the scratch space; they must survive later lines.
            let actor = index % 3 == 0 ? #"fan\u00e9\#(index)"# : "fan\(index)"
            lines.append(#"{"v":1,"id":"r\#(index)","kind":"reaction","network":"twitter","time":\#(1_600_000_000_000 + index),"action":"like","actor":"\#(actor)","target":"user\#(index % 7)"}"#)
            if index % 40 == 3 { lines.append("") }
            if index % 55 == 9 { lines.append(#"{"v":1,"id":"broken""#) }
            if index % 101 == 50 {
                lines.append(#"{"v":1,"id":"long","kind":"post","network":"twitter","time":1600000000000,"author":"a","content":"\#(String(repeating: "x", count: 5000))"}"#)
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test("batches much smaller than a line grow; lines split across batches, empty lines, bad lines and line numbers match one thread")
    func smallBatches() throws {
        try expectSameAsOneThread(Self.lines(), batchBytes: 64, batchCount: 3)
        try expectSameAsOneThread(Self.lines() + "\n", batchBytes: 1000, batchCount: 2)
    }

    @Test("default batches")
    func defaultBatches() throws {
        try expectSameAsOneThread(Self.lines() + "\n", batchBytes: 1 << 20, batchCount: 4)
    }

    @Test("an empty input gives no entries")
    func emptyInput() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("resonance-stage-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data().write(to: url)
        let stage = FileDecodeStage(reader: try LineReader(path: url.path), limits: DecoderLimits())
        stage.start()
        var entries = 0
        while let batch = stage.decoded.take() { entries += batch.entries.count; stage.recycle(batch) }
        #expect(entries == 0)
        #expect(stage.failure == nil)
    }
}
