import Testing

@testable import ResonanceEngine

/// The decoder's eight-bytes-at-a-time string scan agrees with the byte-wise rules.
@Suite("String scanning eight bytes at a time")
struct PlainASCIIScanTests {
    static func plain(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x80 && byte != 0x22 && byte != 0x5C }

    @Test("every word is plain exactly when each of its bytes is")
    func agreesWithBytewise() {
        var generator = SystemRandomNumberGenerator()
        // Bytes near the boundaries, in every position, plus random words.
        let interesting: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xC3, 0xFF, 0x41]
        for _ in 0..<200_000 {
            var bytes = (0..<8).map { _ in interesting.randomElement(using: &generator)! }
            if Bool.random(using: &generator) { bytes[Int.random(in: 0..<8, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            #expect(JSONEventParser.isPlainASCII(word) == bytes.allSatisfy(Self.plain), "\(bytes)")
        }
    }

    @Test("long ids with an escape, a quote or UTF-8 past the first eight bytes decode exactly")
    func longStrings() throws {
        let decoder = EventDecoder()
        for id in ["abcdefghijklmnop", "abcdefghij\\\"klmnop", "abcdefghijkl\\u00e9mnop", "abcdefghijklmnoé", "ab😀cdefghijklmnopqrst"] {
            let json = #"{"v":1,"id":"x","kind":"reaction","network":"twitter","time":1700000000000,"action":"like","actor":"\#(id)","target":"t"}"#
            let actor = try Array(json.utf8).withUnsafeBytes { bytes in String(decoding: try decoder.decode(bytes, key: nil).actor, as: UTF8.self) }
            let expected = id.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\u00e9", with: "é")
            #expect(actor == expected)
        }
        let control = #"{"v":1,"id":"x","kind":"reaction","network":"twitter","time":1700000000000,"action":"like","actor":"abcdefghij\#u{01}k","target":"t"}"#
        #expect(throws: EventRejection.self) { try Array(control.utf8).withUnsafeBytes { bytes in _ = try decoder.decode(bytes, key: nil) } }
    }
}
