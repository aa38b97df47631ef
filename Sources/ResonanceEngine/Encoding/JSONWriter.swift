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
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
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
        separate()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, count: 1)
        needsComma = true
    }

    /// Appends the decimal digits of `value`, zero-padded to at least `count` (at most 20)
    /// digits. They are formed last first in a buffer on the stack: every score change writes a
    /// dozen numbers, and a slice reversed in place, or an array per number, cost more than
    /// the digits.
    @inline(__always)
    private mutating func appendDigits(_ value: UInt64, count: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var rest = value
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0 || buffer.count - index < count
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[index...]))
        }
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
        let whole = fixed / Int64(scale)
        let fraction = (fixed % Int64(scale)).magnitude
        if fixed < 0 && whole == 0 {
            separate()
            bytes.append(UInt8(ascii: "-"))
            bytes.append(UInt8(ascii: "0"))
            needsComma = true
        } else {
            integer(whole)
        }
        if decimals > 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(fraction, count: decimals)
        }
    }

    /// Writes an object of per-network scores, networks in name order (so the same scores always
    /// give the same bytes).
    public mutating func networkScores(_ networks: [String: Double], decimals: Int) {
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
