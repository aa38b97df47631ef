/// Appends JSON to a byte buffer without building intermediate strings: the score-change
/// publisher writes one object per change on the hot path, and `resonance produce` one per row.
public struct JSONWriter {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(reservingCapacity capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer, keeping its capacity.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    /// Opens an object (as a value, or at the top level).
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Opens an array.
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an object key; the next write is its value.
    public mutating func key(_ name: StaticString) {
        let length = name.utf8CodeUnitCount
        guard length <= JSONWriter.scratchCapacity - 4 else {
            separate()
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: name.utf8Start, count: length))
            bytes.append(UInt8(ascii: "\""))
            bytes.append(UInt8(ascii: ":"))
            needsComma = false
            return
        }
        let comma = needsComma
        appendFormed { out in
            var index = 0
            if comma { out[index] = UInt8(ascii: ","); index += 1 }
            out[index] = UInt8(ascii: "\"")
            (out + index + 1).update(from: name.utf8Start, count: length)
            index += 1 + length
            out[index] = UInt8(ascii: "\"")
            out[index + 1] = UInt8(ascii: ":")
            return index + 2
        }
        needsComma = false
    }

    /// Writes an object key that is not known at compile time (e.g. a network name).
    public mutating func key<Bytes: Collection<UInt8>>(utf8 name: Bytes) {
        string(utf8: name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string value from UTF-8 bytes, escaping what JSON requires.
    public mutating func string<Bytes: Collection<UInt8>>(utf8 value: Bytes) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        for byte in value {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\"))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case ..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes a string value.
    public mutating func string(_ value: String) {
        string(utf8: value.utf8)
    }

    /// Writes an integer value.
    public mutating func integer(_ value: Int64) {
        let comma = needsComma
        appendFormed { out in
            var index = 0
            if comma { out[index] = UInt8(ascii: ","); index += 1 }
            if value < 0 { out[index] = UInt8(ascii: "-"); index += 1 }
            return JSONWriter.formDigits(value.magnitude, count: 1, at: out + index) + index
        }
        needsComma = true
    }

    /// The most bytes ``appendFormed(_:)`` forms at once.
    private static let scratchCapacity = 48

    /// Appends bytes formed on the stack by `body` (at most ``scratchCapacity``; it returns how
    /// many), in one append. Each `Array.append` checks that the buffer is unique and large
    /// enough: a score change made about 60 of them, a comma, a quote or a digit run at a time.
    @inline(__always)
    private mutating func appendFormed(_ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { raw in
            let base = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let count = body(base)
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: base, count: count))
        }
    }

    /// Writes the decimal digits of `value`, zero-padded to at least `count` (at most 20)
    /// digits, at `out`; returns how many.
    @inline(__always)
    private static func formDigits(_ value: UInt64, count: Int, at out: UnsafeMutablePointer<UInt8>) -> Int {
        var length = 1
        var rest = value / 10
        while rest > 0 { length += 1; rest /= 10 }
        length = Swift.max(length, count)
        rest = value
        for index in stride(from: length - 1, through: 0, by: -1) {
            out[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
        return length
    }

    /// Writes a number rounded to `decimals` places (at most 6), in plain notation. Scores carry
    /// decimals because whole numbers tie too often to rank users.
    public mutating func number(_ value: Double, decimals: Int) {
        precondition((0...6).contains(decimals))
        guard value.isFinite else {
            // JSON has no NaN or infinity; the model never produces them, but never write invalid JSON.
            separate()
            bytes.append(contentsOf: Array("null".utf8))
            needsComma = true
            return
        }
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value * scale).rounded()
        guard scaled.magnitude < 9.0e15 else {
            separate()
            bytes.append(contentsOf: Array("\(value)".utf8))
            needsComma = true
            return
        }
        let fixed = Int64(scaled)
        let whole = (fixed / Int64(scale)).magnitude
        let fraction = (fixed % Int64(scale)).magnitude
        let comma = needsComma
        appendFormed { out in
            var index = 0
            if comma { out[index] = UInt8(ascii: ","); index += 1 }
            if fixed < 0 { out[index] = UInt8(ascii: "-"); index += 1 }
            index += JSONWriter.formDigits(whole, count: 1, at: out + index)
            if decimals > 0 {
                out[index] = UInt8(ascii: ".")
                index += 1 + JSONWriter.formDigits(fraction, count: decimals, at: out + index + 1)
            }
            return index
        }
        needsComma = true
    }

    /// Writes an object of scores by name (networks, topics), names in order (so the same scores
    /// always give the same bytes).
    public mutating func scoresByName(_ networks: [String: Double], decimals: Int) {
        beginObject()
        if networks.count == 1, let (network, score) = networks.first {
            // Most users are on one network: nothing to sort, nothing to allocate.
            key(utf8: network.utf8)
            number(score, decimals: decimals)
        } else {
            for (network, score) in networks.sorted(by: { $0.key < $1.key }) {
                key(utf8: network.utf8)
                number(score, decimals: decimals)
            }
        }
        endObject()
    }

    /// Writes `true` or `false`.
    public mutating func boolean(_ value: Bool) {
        separate()
        let literal: StaticString = value ? "true" : "false"
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        needsComma = true
    }

    @inline(__always)
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}
