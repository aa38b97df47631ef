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

    let limits: DecoderLimits
    let scratch: UnsafeMutableRawPointer

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
            if key.equalBytes("user") {
                fields.user = try parser.parseString(field: .user, limit: limits.maxIdentifierBytes)
                found |= 1
            } else if key.equalBytes("score") {
                fields.score = try parser.parseNumber()
                found |= 2
            } else if key.equalBytes("version") {
                fields.version = try parser.parseInteger(.v)
                found |= 4
            } else if key.equalBytes("flagged") {
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

extension ScoreChangeDecoder {
    /// Decodes a whole score change: every field the HTTP API's history and leaderboards show,
    /// in one pass (Foundation's JSONDecoder costs several times the scoring of the event that
    /// caused the change, and every instance reads every change).
    public func decodePublished(_ bytes: UnsafeRawBufferPointer) throws(EventRejection) -> PublishedScore {
        guard bytes.count <= limits.maxMessageBytes, let base = bytes.baseAddress, bytes.count > 0 else {
            throw EventRejection(.malformedJSON, "empty or oversized score change")
        }
        var parser = JSONEventParser(
            bytes: base.assumingMemoryBound(to: UInt8.self), count: bytes.count,
            scratch: scratch.assumingMemoryBound(to: UInt8.self), limits: limits)
        var change = PublishedScore(user: "", score: 0, reach: 0, amplification: 0, impact: 0, networks: [:], time: 0, version: 0)
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
            switch key.count {
            case 4 where key.equalBytes("user"):
                change.user = String(decoding: try parser.parseString(field: .user, limit: limits.maxIdentifierBytes), as: UTF8.self)
                found |= 1
            case 5 where key.equalBytes("score"):
                change.score = try parser.parseNumber()
                found |= 2
            case 7 where key.equalBytes("version"):
                change.version = try parser.parseInteger(.v)
                found |= 4
            case 4 where key.equalBytes("time"):
                change.time = try parser.parseInteger(.time)
                found |= 8
            case 5 where key.equalBytes("reach"):
                change.reach = try parser.parseNumber()
            case 13 where key.equalBytes("amplification"):
                change.amplification = try parser.parseNumber()
            case 6 where key.equalBytes("impact"):
                change.impact = try parser.parseNumber()
            case 7 where key.equalBytes("flagged"):
                change.flagged = parser.peek() == UInt8(ascii: "t")
                try parser.skipValue(depth: 0)
            case 8 where key.equalBytes("networks"):
                try parser.expect(UInt8(ascii: "{"), "networks must be an object")
                parser.skipWhitespace()
                if parser.peek() == UInt8(ascii: "}") {
                    _ = try parser.next("")
                } else {
                    while true {
                        let name = String(decoding: try parser.parseString(field: nil, limit: 64), as: UTF8.self)
                        parser.skipWhitespace()
                        try parser.expect(UInt8(ascii: ":"), "expected ':' after a network name")
                        parser.skipWhitespace()
                        change.networks[name] = try parser.parseNumber()
                        parser.skipWhitespace()
                        let separator = try parser.next("networks must end with '}'")
                        if separator == UInt8(ascii: "}") { break }
                        guard separator == UInt8(ascii: ",") else { throw EventRejection(.malformedJSON, "expected ',' or '}' in networks") }
                        parser.skipWhitespace()
                    }
                }
            default:
                try parser.skipValue(depth: 0)
            }
            parser.skipWhitespace()
            let separator = try parser.next("an object must end with '}'")
            if separator == UInt8(ascii: "}") { break }
            guard separator == UInt8(ascii: ",") else { throw EventRejection(.malformedJSON, "expected ',' or '}'") }
            parser.skipWhitespace()
        }
        guard found == 15 else { throw EventRejection(.missingField, "a score change needs user, score, version and time") }
        return change
    }
}

extension JSONEventParser {
    /// Parses a JSON number as a `Double` (digits copied to a small buffer for `strtod`).
    mutating func parseNumber() throws(EventRejection) -> Double {
        let start = position
        try skipNumber()
        let length = position - start
        guard length < 64 else { throw EventRejection(.invalidField, "number too long") }
        // strtod needs a terminated string; a stack buffer keeps this free of allocations.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            for index in 0..<length { buffer[index] = CChar(bitPattern: bytes[start + index]) }
            buffer[length] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
