import ResonanceModel

/// The single-pass scanner behind ``EventDecoder``: one instance per message.
struct JSONEventParser {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    private let scratch: UnsafeMutablePointer<UInt8>
    private let limits: DecoderLimits
    var position = 0
    private var scratchUsed = 0

    init(bytes: UnsafePointer<UInt8>, count: Int, scratch: UnsafeMutablePointer<UInt8>, limits: DecoderLimits) {
        self.bytes = bytes
        self.count = count
        self.scratch = scratch
        self.limits = limits
    }

    // MARK: The event object

    mutating func parseEvent() throws(EventRejection) -> DecodedEvent {
        var event = DecodedEvent()
        var seen = EventField.Set()
        var version: Int64 = -1
        var kind: EventKind?
        // `actor_created` is read on reactions only, and other kinds ignore it as an unknown
        // field: its value is judged once the kind is known.
        var actorCreatedError: EventRejection?

        skipWhitespace()
        try expect(UInt8(ascii: "{"), "an event must be a JSON object")
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                let key = try parseString(field: nil, limit: Int.max)
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "expected ':' after a key")
                skipWhitespace()
                if let field = EventField(key) {
                    guard !seen.contains(field) else {
                        throw EventRejection(.invalidField, "field '\(field.name)' appears twice")
                    }
                    seen.insert(field)
                    switch field {
                    case .v: version = try parseInteger(field)
                    case .kind: kind = try parseKind()
                    case .id: event.id = try parseIdentifier(field)
                    case .network: event.network = try parseIdentifier(field)
                    case .time: event.time = try parseInteger(field)
                    case .action: event.action = try parseIdentifier(field)
                    case .actor: event.actor = try parseIdentifier(field)
                    case .target: event.target = try parseIdentifier(field)
                    case .content: event.content = try parseIdentifier(field)
                    case .author: event.author = try parseIdentifier(field)
                    case .user: event.user = try parseIdentifier(field)
                    case .undoes: event.undoes = try parseIdentifier(field)
                    case .followers: event.followers = try parseCount(field)
                    case .following: event.following = try parseCount(field)
                    case .lists: event.lists = try parseCount(field)
                    case .topics: event.topics = try parseTopics()
                    case .flags: event.flags = try parseFlags()
                    case .actorCreated:
                        let start = position
                        do {
                            event.actorCreated = try parseInteger(field)
                        } catch {
                            actorCreatedError = error
                            position = start
                            try skipValue(depth: 0)
                        }
                    }
                } else {
                    try skipValue(depth: 0)
                }
                skipWhitespace()
                let separator = try next("an object must end with '}'")
                if separator == UInt8(ascii: "}") { break }
                guard separator == UInt8(ascii: ",") else {
                    throw EventRejection(.malformedJSON, "expected ',' or '}' at byte \(position - 1)")
                }
                skipWhitespace()
            }
        }
        skipWhitespace()
        guard position == count else {
            throw EventRejection(.malformedJSON, "unexpected bytes after the event object at byte \(position)")
        }

        guard seen.contains(.v) else { throw EventRejection(.unsupportedVersion, "missing field 'v' (contract version; this build reads 1)") }
        guard version == 1 else { throw EventRejection(.unsupportedVersion, "contract version \(version) is not supported; this build reads 1") }
        guard let kind else { throw EventRejection(.unknownKind, "missing field 'kind'") }
        event.kind = kind
        try requireFields(EventField.required(for: kind), in: seen, kind: kind)
        if kind == .reaction, let actorCreatedError { throw actorCreatedError }
        if kind == .reaction, let created = event.actorCreated {
            if created < 0 {
                throw EventRejection(.invalidField, "field 'actor_created' must not be negative")
            }
            if created > event.time {
                throw EventRejection(.invalidField, "field 'actor_created' (\(created)) is after the reaction's time (\(event.time)): the actor's account must exist when it reacts")
            }
        } else {
            event.actorCreated = nil  // read on reactions only
        }
        return event
    }

    private func requireFields(_ required: [EventField], in seen: EventField.Set, kind: EventKind) throws(EventRejection) {
        for field in required where !seen.contains(field) {
            throw EventRejection(.missingField, "missing field '\(field.name)' (required for \(kind.name))")
        }
    }

    // MARK: Typed values

    private mutating func parseKind() throws(EventRejection) -> EventKind {
        let name = try parseString(field: .kind, limit: limits.maxIdentifierBytes)
        switch name.count {
        case 4: if name.equalBytes("post") { return .post }; if name.equalBytes("undo") { return .undo }
        case 5: if name.equalBytes("erase") { return .erase }
        case 7: if name.equalBytes("profile") { return .profile }
        case 8: if name.equalBytes("reaction") { return .reaction }
        default: break
        }
        throw EventRejection(.unknownKind, "unknown kind '\(String(decoding: name, as: UTF8.self))'; expected reaction, post, profile, undo or erase")
    }

    private mutating func parseIdentifier(_ field: EventField) throws(EventRejection) -> UnsafeRawBufferPointer {
        guard peek() == UInt8(ascii: "\"") else {
            throw EventRejection(.invalidField, "field '\(field.name)' must be a string")
        }
        let value = try parseString(field: field, limit: limits.maxIdentifierBytes)
        guard value.count > 0 else {
            throw EventRejection(.invalidField, "field '\(field.name)' must not be empty")
        }
        return value
    }

    private mutating func parseCount(_ field: EventField) throws(EventRejection) -> Int64 {
        let value = try parseInteger(field)
        guard value >= 0 else {
            throw EventRejection(.invalidField, "field '\(field.name)' must not be negative")
        }
        return value
    }

    private mutating func parseTopics() throws(EventRejection) -> [UnsafeRawBufferPointer] {
        var topics: [UnsafeRawBufferPointer] = []
        // The model keeps no more than these, so looser limits would drop topics silently.
        let maxTopics = Swift.min(limits.maxTopics, TopicList.capacity)
        let maxBytes = Swift.min(limits.maxTopicBytes, InfluenceState.maxTopicNameBytes)
        try parseStringArray(.topics) { (topic: UnsafeRawBufferPointer) throws(EventRejection) in
            guard topics.count < maxTopics else {
                throw EventRejection(.invalidField, "field 'topics' names more than \(maxTopics) topics")
            }
            guard topic.count > 0 else { throw EventRejection(.invalidField, "field 'topics' holds an empty topic") }
            guard topic.count <= maxBytes else {
                throw EventRejection(.invalidField, "field 'topics' holds a topic of \(topic.count) bytes; the limit is \(maxBytes)")
            }
            topics.append(topic)
        }
        return topics
    }

    private mutating func parseFlags() throws(EventRejection) -> ProfileFlags {
        var flags: ProfileFlags = []
        try parseStringArray(.flags) { (flag: UnsafeRawBufferPointer) throws(EventRejection) in
            if flag.elementsEqual("spam".utf8) {
                flags.insert(.spam)
            } else if flag.elementsEqual("bot".utf8) {
                flags.insert(.bot)
            } else if flag.elementsEqual("inactive".utf8) {
                flags.insert(.inactive)
            } else {
                throw EventRejection(
                    .invalidField,
                    "unknown flag '\(String(decoding: flag, as: UTF8.self))'; expected spam, bot or inactive"
                )
            }
        }
        return flags
    }

    private mutating func parseStringArray(
        _ field: EventField,
        _ element: (UnsafeRawBufferPointer) throws(EventRejection) -> Void
    ) throws(EventRejection) {
        guard peek() == UInt8(ascii: "[") else {
            throw EventRejection(.invalidField, "field '\(field.name)' must be an array of strings")
        }
        position += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else {
                throw EventRejection(.invalidField, "field '\(field.name)' must be an array of strings")
            }
            try element(parseString(field: field, limit: limits.maxIdentifierBytes))
            skipWhitespace()
            let separator = try next("an array must end with ']'")
            if separator == UInt8(ascii: "]") { return }
            guard separator == UInt8(ascii: ",") else {
                throw EventRejection(.malformedJSON, "expected ',' or ']' at byte \(position - 1)")
            }
            skipWhitespace()
        }
    }

    /// Parses a JSON integer. A JSON number with a fraction or exponent is a type error, not
    /// malformed JSON: the field exists but is not an integer.
    mutating func parseInteger(_ field: EventField) throws(EventRejection) -> Int64 {
        let start = position
        var negative = false
        if peek() == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard let first = peekDigit() else {
            if peek() == UInt8(ascii: "\"") || peek() == UInt8(ascii: "t") || peek() == UInt8(ascii: "f")
                || peek() == UInt8(ascii: "n") || peek() == UInt8(ascii: "[") || peek() == UInt8(ascii: "{")
            {
                throw EventRejection(.invalidField, "field '\(field.name)' must be an integer")
            }
            throw EventRejection(.malformedJSON, "invalid number at byte \(start)")
        }
        position += 1
        // Accumulate negatively so that Int64.min parses without overflow.
        var value = -Int64(first)
        if first == 0, peekDigit() != nil {
            throw EventRejection(.malformedJSON, "number with a leading zero at byte \(start)")
        }
        while let digit = peekDigit() {
            position += 1
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.subtractingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else {
                throw EventRejection(.invalidField, "field '\(field.name)' is too large for a 64-bit integer")
            }
            value = next
        }
        if let byte = peek(), byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            position = start
            try skipNumber()
            throw EventRejection(.invalidField, "field '\(field.name)' must be an integer")
        }
        if negative { return value }
        guard value != Int64.min else {
            throw EventRejection(.invalidField, "field '\(field.name)' is too large for a 64-bit integer")
        }
        return -value
    }

    // MARK: Strings

    /// Parses a string at the cursor (which must be at its opening quote) and returns its UTF-8
    /// bytes, unescaped. Strings without escapes are views of the input; others are copied to
    /// the scratch space.
    mutating func parseString(field: EventField?, limit: Int) throws(EventRejection) -> UnsafeRawBufferPointer {
        guard peek() == UInt8(ascii: "\"") else {
            throw EventRejection(.malformedJSON, "expected a string at byte \(position)")
        }
        position += 1
        let start = position
        while position < count {
            // Eight plain ASCII bytes at a time (most ids and names are nothing else); any byte
            // that needs a look falls through to the byte-wise step below.
            if position + 8 <= count, Self.isPlainASCII(UnsafeRawPointer(bytes + position).loadUnaligned(as: UInt64.self)) {
                position += 8
                continue
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let length = position - start
                position += 1
                try checkLength(length, field: field, limit: limit)
                return UnsafeRawBufferPointer(start: bytes + start, count: length)
            }
            if byte == UInt8(ascii: "\\") {
                return try parseEscapedString(from: start, field: field, limit: limit)
            }
            if byte < 0x20 {
                throw EventRejection(.malformedJSON, "control character in a string at byte \(position)")
            }
            if byte < 0x80 {
                position += 1
            } else {
                try skipUTF8Sequence()
            }
        }
        throw EventRejection(.malformedJSON, "unterminated string")
    }

    /// True when none of the word's eight bytes is a quote, a backslash, a control character or
    /// a non-ASCII byte (the classic SWAR zero-byte and less-than tests, exact for these values).
    @inline(__always)
    static func isPlainASCII(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let quote = hasZeroByte(word ^ (ones &* 0x22))
        let backslash = hasZeroByte(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highs
        return (quote | backslash | control | (word & highs)) == 0
    }

    private mutating func parseEscapedString(from start: Int, field: EventField?, limit: Int) throws(EventRejection) -> UnsafeRawBufferPointer {
        let outStart = scratchUsed
        let plain = position - start
        (scratch + scratchUsed).update(from: bytes + start, count: plain)
        scratchUsed += plain
        while position < count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                let length = scratchUsed - outStart
                try checkLength(length, field: field, limit: limit)
                return UnsafeRawBufferPointer(start: scratch + outStart, count: length)
            }
            if byte == UInt8(ascii: "\\") {
                position += 1
                let escape = try next("unterminated escape")
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): append(escape)
                case UInt8(ascii: "b"): append(0x08)
                case UInt8(ascii: "f"): append(0x0C)
                case UInt8(ascii: "n"): append(0x0A)
                case UInt8(ascii: "r"): append(0x0D)
                case UInt8(ascii: "t"): append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape()
                default:
                    throw EventRejection(.malformedJSON, "invalid escape '\\\(Character(Unicode.Scalar(escape)))' at byte \(position - 2)")
                }
                continue
            }
            if byte < 0x20 {
                throw EventRejection(.malformedJSON, "control character in a string at byte \(position)")
            }
            let sequenceStart = position
            if byte < 0x80 {
                position += 1
            } else {
                try skipUTF8Sequence()
            }
            let length = position - sequenceStart
            (scratch + scratchUsed).update(from: bytes + sequenceStart, count: length)
            scratchUsed += length
        }
        throw EventRejection(.malformedJSON, "unterminated string")
    }

    private func checkLength(_ length: Int, field: EventField?, limit: Int) throws(EventRejection) {
        if length > limit, let field {
            throw EventRejection(.invalidField, "field '\(field.name)' is \(length) bytes; the limit is \(limit)")
        }
    }

    private mutating func append(_ byte: UInt8) {
        scratch[scratchUsed] = byte
        scratchUsed += 1
    }

    private mutating func appendUnicodeEscape() throws(EventRejection) {
        var scalar = try parseHex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard peek() == UInt8(ascii: "\\"), position + 1 < count, bytes[position + 1] == UInt8(ascii: "u") else {
                throw EventRejection(.invalidUTF8, "unpaired surrogate escape at byte \(position - 6)")
            }
            position += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else {
                throw EventRejection(.invalidUTF8, "unpaired surrogate escape at byte \(position - 12)")
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw EventRejection(.invalidUTF8, "unpaired surrogate escape at byte \(position - 6)")
        }
        // Encode as UTF-8; never longer than the 6 or 12 escape bytes it replaces.
        switch scalar {
        case ..<0x80:
            append(UInt8(scalar))
        case ..<0x800:
            append(UInt8(0xC0 | (scalar >> 6)))
            append(UInt8(0x80 | (scalar & 0x3F)))
        case ..<0x10000:
            append(UInt8(0xE0 | (scalar >> 12)))
            append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            append(UInt8(0xF0 | (scalar >> 18)))
            append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    private mutating func parseHex4() throws(EventRejection) -> UInt32 {
        guard position + 4 <= count else {
            throw EventRejection(.malformedJSON, "truncated \\u escape")
        }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw EventRejection(.malformedJSON, "invalid \\u escape at byte \(position)")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Advances over one multi-byte UTF-8 sequence, rejecting overlong forms, surrogates and
    /// values beyond U+10FFFF (RFC 3629).
    private mutating func skipUTF8Sequence() throws(EventRejection) {
        let lead = bytes[position]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: throw EventRejection(.invalidUTF8, "invalid UTF-8 byte 0x\(String(lead, radix: 16)) at byte \(position)")
        }
        guard position + length <= count else {
            throw EventRejection(.invalidUTF8, "truncated UTF-8 sequence at byte \(position)")
        }
        let second = bytes[position + 1]
        guard second >= lower, second <= upper else {
            throw EventRejection(.invalidUTF8, "invalid UTF-8 sequence at byte \(position)")
        }
        for offset in 2..<max(length, 2) {
            let continuation = bytes[position + offset]
            guard continuation & 0xC0 == 0x80 else {
                throw EventRejection(.invalidUTF8, "invalid UTF-8 sequence at byte \(position)")
            }
        }
        position += length
    }

    // MARK: Skipping unknown values

    mutating func skipValue(depth: Int) throws(EventRejection) {
        guard depth < limits.maxNestingDepth else {
            throw EventRejection(.malformedJSON, "values nested deeper than \(limits.maxNestingDepth) levels")
        }
        guard let byte = peek() else { throw EventRejection(.malformedJSON, "expected a value at the end of the message") }
        switch byte {
        case UInt8(ascii: "\""):
            _ = try parseString(field: nil, limit: Int.max)
        case UInt8(ascii: "{"):
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { position += 1; return }
            while true {
                _ = try parseString(field: nil, limit: Int.max)
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "expected ':' after a key")
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                let separator = try next("an object must end with '}'")
                if separator == UInt8(ascii: "}") { return }
                guard separator == UInt8(ascii: ",") else {
                    throw EventRejection(.malformedJSON, "expected ',' or '}' at byte \(position - 1)")
                }
                skipWhitespace()
            }
        case UInt8(ascii: "["):
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { position += 1; return }
            while true {
                try skipValue(depth: depth + 1)
                skipWhitespace()
                let separator = try next("an array must end with ']'")
                if separator == UInt8(ascii: "]") { return }
                guard separator == UInt8(ascii: ",") else {
                    throw EventRejection(.malformedJSON, "expected ',' or ']' at byte \(position - 1)")
                }
                skipWhitespace()
            }
        case UInt8(ascii: "t"): try skipLiteral("true")
        case UInt8(ascii: "f"): try skipLiteral("false")
        case UInt8(ascii: "n"): try skipLiteral("null")
        default: try skipNumber()
        }
    }

    private mutating func skipLiteral(_ literal: StaticString) throws(EventRejection) {
        let length = literal.utf8CodeUnitCount
        guard position + length <= count,
            UnsafeRawBufferPointer(start: bytes + position, count: length).equalBytes(literal)
        else {
            throw EventRejection(.malformedJSON, "invalid literal at byte \(position)")
        }
        position += length
    }

    /// Advances over a JSON number (RFC 8259 grammar).
    mutating func skipNumber() throws(EventRejection) {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peekDigit() else { throw EventRejection(.malformedJSON, "invalid value at byte \(start)") }
        position += 1
        if first != 0 { while peekDigit() != nil { position += 1 } }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard peekDigit() != nil else { throw EventRejection(.malformedJSON, "invalid number at byte \(start)") }
            while peekDigit() != nil { position += 1 }
        }
        if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard peekDigit() != nil else { throw EventRejection(.malformedJSON, "invalid number at byte \(start)") }
            while peekDigit() != nil { position += 1 }
        }
    }

    // MARK: Cursor

    @inline(__always)
    func peek() -> UInt8? {
        position < count ? bytes[position] : nil
    }

    @inline(__always)
    private func peekDigit() -> UInt8? {
        guard position < count else { return nil }
        let digit = bytes[position] &- UInt8(ascii: "0")
        return digit < 10 ? digit : nil
    }

    @inline(__always)
    mutating func next(_ whatIfMissing: @autoclosure () -> String) throws(EventRejection) -> UInt8 {
        guard position < count else { throw EventRejection(.malformedJSON, whatIfMissing()) }
        defer { position += 1 }
        return bytes[position]
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8, _ message: @autoclosure () -> String) throws(EventRejection) {
        guard position < count, bytes[position] == byte else {
            throw EventRejection(.malformedJSON, "\(message()) (at byte \(position))")
        }
        position += 1
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }
}
