/// A contract-v1 event ready to produce: its Kafka key and its JSON value.
public struct EncodedEvent: Sendable, Equatable {
    /// The user the event is about (the Kafka key).
    public var key: [UInt8]
    /// The event as UTF-8 JSON.
    public var value: [UInt8]
    /// Its event time, epoch milliseconds (for ordering a replay by time).
    public var time: Int64

    public init(key: [UInt8], value: [UInt8], time: Int64) {
        self.key = key
        self.value = value
        self.time = time
    }
}

extension EncodedEvent {
    /// The same event happening at `time` instead: its top-level `time` member rewritten (for
    /// replaying a data set as a live feed, `resonance produce --live`). A `"time"` inside a
    /// string or a nested object is left alone. Nil when the value has no top-level `time`
    /// number (not a v1 event).
    public func happening(at time: Int64) -> EncodedEvent? {
        guard let digits = Self.topLevelTimeDigits(in: value) else { return nil }
        var rewritten = value
        rewritten.replaceSubrange(digits, with: Array(String(time).utf8))
        return EncodedEvent(key: key, value: rewritten, time: time)
    }

    /// Where the digits of the top-level `"time"` member's number are in `json`.
    static func topLevelTimeDigits(in json: [UInt8]) -> Range<Int>? {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        func isWhitespace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }
        var depth = 0
        var index = 0
        // Whether the next string at depth 1 is a member name (after `{` or `,`), not a value.
        var expectingName = false
        while index < json.count {
            let byte = json[index]
            switch byte {
            case quote:
                let start = index + 1
                index = start
                while index < json.count, json[index] != quote {
                    index += json[index] == backslash ? 2 : 1
                }
                guard index < json.count else { return nil }
                let isTimeName = depth == 1 && expectingName && json[start..<index].elementsEqual("time".utf8)
                expectingName = false
                index += 1
                guard isTimeName else { continue }
                while index < json.count, isWhitespace(json[index]) {
                    index += 1
                }
                guard index < json.count, json[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                while index < json.count, isWhitespace(json[index]) {
                    index += 1
                }
                let first = index
                while index < json.count, json[index] == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(json[index]) {
                    index += 1
                }
                return index > first ? first..<index : nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectingName = byte == UInt8(ascii: "{") && depth == 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            case UInt8(ascii: ","):
                expectingName = depth == 1
                index += 1
            default:
                index += 1
            }
        }
        return nil
    }
}
