/// Reads the fields of a v1 score change that the global score table needs, in one pass and
/// without Foundation: the table follows the whole scores topic, as fast as it is written.
public final class ScoreChangeDecoder {
    /// What the table keeps of a change.
    public struct Fields {
        /// The user id's bytes (valid until the next decode).
        public var user: UnsafeRawBufferPointer
        /// The score, 1–100.
        public var score: Double
        /// The change's version.
        public var version: Int64
        /// Whether the user is flagged spam, bot or inactive.
        public var flagged: Bool
    }

    private let limits: DecoderLimits
    private let scratch: UnsafeMutableRawPointer

    public init(limits: DecoderLimits = DecoderLimits()) {
        self.limits = limits
        scratch = UnsafeMutableRawPointer.allocate(byteCount: max(limits.maxMessageBytes, 16), alignment: 16)
    }

    deinit {
        scratch.deallocate()
    }

    /// Decodes a score change's value.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws(EventRejection) -> Fields {
        guard bytes.count <= limits.maxMessageBytes, let base = bytes.baseAddress, bytes.count > 0 else {
            throw EventRejection(.malformedJSON, "empty or oversized score change")
        }
        var parser = JSONEventParser(
            bytes: base.assumingMemoryBound(to: UInt8.self), count: bytes.count,
            scratch: scratch.assumingMemoryBound(to: UInt8.self), limits: limits)
        var fields = Fields(user: UnsafeRawBufferPointer(start: nil, count: 0), score: 0, version: 0, flagged: false)
        var found = 0
        parser.skipWhitespace()
        try parser.expect(UInt8(ascii: "{"), "a score change must be a JSON object")
        parser.skipWhitespace()
        if parser.peek() == UInt8(ascii: "}") { throw EventRejection(.missingField, "empty score change") }
        while true {
            let key = try parser.parseString(field: nil, limit: Int.max)
            parser.skipWhitespace()
            try parser.expect(UInt8(ascii: ":"), "expected ':' after a key")
            parser.skipWhitespace()
            if key.elementsEqual("user".utf8) {
                fields.user = try parser.parseString(field: .user, limit: limits.maxIdentifierBytes)
                found |= 1
            } else if key.elementsEqual("score".utf8) {
                fields.score = try parser.parseNumber()
                found |= 2
            } else if key.elementsEqual("version".utf8) {
                fields.version = try parser.parseInteger(.v)
                found |= 4
            } else if key.elementsEqual("flagged".utf8) {
                fields.flagged = parser.peek() == UInt8(ascii: "t")
                try parser.skipValue(depth: 0)
            } else {
                try parser.skipValue(depth: 0)
            }
            parser.skipWhitespace()
            let separator = try parser.next("an object must end with '}'")
            if separator == UInt8(ascii: "}") { break }
            guard separator == UInt8(ascii: ",") else { throw EventRejection(.malformedJSON, "expected ',' or '}'") }
            parser.skipWhitespace()
        }
        guard found == 7 else { throw EventRejection(.missingField, "a score change needs user, score and version") }
        return fields
    }
}

extension JSONEventParser {
    /// Parses a JSON number as a `Double` (digits copied to a small buffer for `strtod`).
    mutating func parseNumber() throws(EventRejection) -> Double {
        let start = position
        try skipNumber()
        let length = position - start
        guard length < 64 else { throw EventRejection(.invalidField, "number too long") }
        var buffer = [CChar](repeating: 0, count: length + 1)
        for index in 0..<length { buffer[index] = CChar(bitPattern: bytes[start + index]) }
        return strtod(buffer, nil)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
