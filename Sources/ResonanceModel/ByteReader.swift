/// Reads serialized state from a contiguous buffer, failing with ``ModelError/corruptState(_:)``
/// rather than reading past its end.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The next `count` bytes.
    mutating func take(_ count: Int) throws(ModelError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= bytes.count - offset else {
            throw ModelError.corruptState("state ends early (needed \(count) bytes at offset \(offset), have \(bytes.count - offset))")
        }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    /// A little-endian fixed-width integer.
    mutating func read<T: FixedWidthInteger>(_: T.Type) throws(ModelError) -> T {
        let raw = try take(MemoryLayout<T>.size)
        return T(littleEndian: raw.loadUnaligned(as: T.self))
    }

    /// A double stored as its bit pattern.
    mutating func readDouble() throws(ModelError) -> Double {
        Double(bitPattern: try read(UInt64.self))
    }

    /// A count, checked against what is left (each element takes at least `minimumStride` bytes).
    mutating func readCount(minimumStride: Int = 1) throws(ModelError) -> Int {
        let value = try read(UInt64.self)
        guard value <= UInt64(bytes.count - offset) / UInt64(Swift.max(minimumStride, 1)) + 1 else {
            throw ModelError.corruptState("count \(value) at offset \(offset) exceeds the remaining bytes")
        }
        return Int(value)
    }

    var isAtEnd: Bool { offset == bytes.count }
}
