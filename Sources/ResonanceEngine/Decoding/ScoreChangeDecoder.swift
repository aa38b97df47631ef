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
        /// The change's event time, epoch milliseconds (0 when absent).
        public var time: Int64 = 0
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
        var parser = try parser(for: bytes)
        var fields = Fields(user: UnsafeRawBufferPointer(start: nil, count: 0), score: 0, version: 0, flagged: false)
        var found = 0
        try parser.forEachMember(of: "a score change") { (key, parser) throws(EventRejection) in
            switch key.count {
            case 4 where key.equalBytes("user"):
                fields.user = try parser.parseString(field: .user, limit: limits.maxIdentifierBytes)
                found |= 1
            case 5 where key.equalBytes("score"):
                fields.score = try parser.parseNumber()
                found |= 2
            case 7 where key.equalBytes("version"):
                fields.version = try parser.parseInteger(.v)
                found |= 4
            case 7 where key.equalBytes("flagged"):
                fields.flagged = parser.peek() == UInt8(ascii: "t")
                try parser.skipValue(depth: 0)
            case 4 where key.equalBytes("time"):
                fields.time = try parser.parseInteger(.time)
            default:
                try parser.skipValue(depth: 0)
            }
        }
        guard found == 7 else { throw EventRejection(.missingField, "a score change needs user, score and version") }
        return fields
    }

    /// Decodes a whole score change: every field the HTTP API's history and leaderboards show,
    /// in one pass (Foundation's JSONDecoder costs several times the scoring of the event that
    /// caused the change, and every instance reads every change).
    public func decodePublished(_ bytes: UnsafeRawBufferPointer) throws(EventRejection) -> PublishedScore {
        var parser = try parser(for: bytes)
        var change = PublishedScore(user: "", score: 0, reach: 0, amplification: 0, impact: 0, networks: [:], time: 0, version: 0)
        var found = 0
        try parser.forEachMember(of: "a score change") { (key, parser) throws(EventRejection) in
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
            case 6 where key.equalBytes("topics"):
                try parser.forEachMember(of: "topics", allowEmpty: true) { (name, parser) throws(EventRejection) in
                    guard name.count <= 64 else { throw EventRejection(.invalidField, "topic name over 64 bytes") }
                    change.topics[String(decoding: name, as: UTF8.self)] = try parser.parseNumber()
                }
            case 7 where key.equalBytes("flagged"):
                change.flagged = parser.peek() == UInt8(ascii: "t")
                try parser.skipValue(depth: 0)
            case 8 where key.equalBytes("networks"):
                try parser.forEachMember(of: "networks", allowEmpty: true) { (name, parser) throws(EventRejection) in
                    guard name.count <= 64 else { throw EventRejection(.invalidField, "network name over 64 bytes") }
                    change.networks[String(decoding: name, as: UTF8.self)] = try parser.parseNumber()
                }
            default:
                try parser.skipValue(depth: 0)
            }
        }
        guard found == 15 else { throw EventRejection(.missingField, "a score change needs user, score, version and time") }
        return change
    }

    /// A parser over one message value.
    private func parser(for bytes: UnsafeRawBufferPointer) throws(EventRejection) -> JSONEventParser {
        guard bytes.count <= limits.maxMessageBytes, let base = bytes.baseAddress, bytes.count > 0 else {
            throw EventRejection(.malformedJSON, "empty or oversized score change")
        }
        return JSONEventParser(
            bytes: base.assumingMemoryBound(to: UInt8.self), count: bytes.count,
            scratch: scratch.assumingMemoryBound(to: UInt8.self), limits: limits)
    }
}

extension JSONEventParser {
    /// Walks the JSON object at the cursor: for each member, reads the key, leaves the cursor at
    /// the value and calls `member`, which must consume the value. Ends after the closing brace.
    /// An empty object is an error unless `allowEmpty`.
    mutating func forEachMember(
        of what: String, allowEmpty: Bool = false,
        _ member: (UnsafeRawBufferPointer, inout JSONEventParser) throws(EventRejection) -> Void
    ) throws(EventRejection) {
        skipWhitespace()
        try expect(UInt8(ascii: "{"), "\(what) must be a JSON object")
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            guard allowEmpty else { throw EventRejection(.missingField, "empty \(what)") }
            position += 1
            return
        }
        while true {
            let key = try parseString(field: nil, limit: Int.max)
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "expected ':' after a key in \(what)")
            skipWhitespace()
            try member(key, &self)
            skipWhitespace()
            let separator = try next("\(what) must end with '}'")
            if separator == UInt8(ascii: "}") { return }
            guard separator == UInt8(ascii: ",") else { throw EventRejection(.malformedJSON, "expected ',' or '}' in \(what)") }
            skipWhitespace()
        }
    }


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
