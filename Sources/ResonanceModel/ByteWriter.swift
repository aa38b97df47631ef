/// Collects small scalar fields into one chunk before handing them to a sink; large arrays go to
/// the sink page by page without this buffer.
struct ByteWriter {
    private(set) var buffer: [UInt8] = []

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    mutating func write(_ value: Double) { write(value.bitPattern) }

    mutating func write(bytes: UnsafeRawBufferPointer) { buffer.append(contentsOf: bytes) }

    /// Hands the buffered bytes to the sink and empties the buffer.
    mutating func flush(into sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        if buffer.isEmpty { return }
        try buffer.withUnsafeBytes { try sink($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
