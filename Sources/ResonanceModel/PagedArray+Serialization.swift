extension PagedArray {
    /// Streams the elements in use as raw bytes, one page (or less) per chunk.
    func serialize(into sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var remaining = count
        for page in pages where remaining > 0 {
            let used = Swift.min(remaining, pageSize)
            try page.withUnsafeBytes { bytes in
                try sink(UnsafeRawBufferPointer(rebasing: bytes[0..<(used * MemoryLayout<Element>.stride)]))
            }
            remaining -= used
        }
    }

    /// Replaces the contents with `count` elements read as raw bytes from the reader.
    mutating func deserialize(count newCount: Int, from reader: inout ByteReader) throws(ModelError) {
        resize(to: 0)
        pages = []
        resize(to: newCount)
        var remaining = newCount
        var page = 0
        while remaining > 0 {
            let used = Swift.min(remaining, pageSize)
            let bytes = try reader.take(used * MemoryLayout<Element>.stride)
            pages[page].withUnsafeMutableBytes { destination in
                destination.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            }
            remaining -= used
            page += 1
        }
    }
}
