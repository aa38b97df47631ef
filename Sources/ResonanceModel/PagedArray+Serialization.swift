/// Pages are written *sparse*: about 40 % of a real state's 8-byte words are zero (unused
/// top-engager slots, sums a user never received, empty table slots), and leaving them out makes
/// a 10,000,000-user snapshot about a third smaller to write and to read back.
///
/// One page's bytes: a bitmap with a bit per 8-byte word of the page (little-endian 64-bit
/// words, bit i of word b for word 64·b + i; set when the word is not zero), then the non-zero
/// words in order, then the page's last `bytes % 8` bytes as they are.
extension PagedArray {
    /// Streams the elements in use, one sparse page per chunk.
    func serialize(into sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        let pageBytes = pageSize * MemoryLayout<Element>.stride
        let scratch = UnsafeMutableRawBufferPointer.allocate(
            byteCount: Self.bitmapBytes(words: pageBytes / 8) + pageBytes, alignment: 8)
        defer { scratch.deallocate() }
        var remaining = count
        for page in pages where remaining > 0 {
            let used = Swift.min(remaining, pageSize)
            let length = page.withUnsafeBytes { bytes in
                Self.encode(UnsafeRawBufferPointer(rebasing: bytes[0..<(used * MemoryLayout<Element>.stride)]), into: scratch)
            }
            try sink(UnsafeRawBufferPointer(rebasing: scratch[0..<length]))
            remaining -= used
        }
    }

    /// Replaces the contents with `count` elements read from sparse pages.
    mutating func deserialize(count newCount: Int, from reader: inout ByteReader) throws(ModelError) {
        // Even an all-zero page costs a bit per word: a count the bytes cannot hold is corrupt,
        // and is refused before anything is allocated for it.
        guard newCount >= 0, newCount / 64 <= (reader.bytes.count - reader.offset + 8) / Swift.max(1, MemoryLayout<Element>.stride) else {
            throw ModelError.corruptState("\(newCount) elements cannot fit in the \(reader.bytes.count - reader.offset) bytes left")
        }
        pages = []
        count = 0
        var remaining = newCount
        while remaining > 0 {
            let used = Swift.min(remaining, pageSize)
            let sparse = try Self.readPage(elements: used, from: &reader)
            // Decoded straight into a new page: each byte is written once, not filled first.
            var decoded = true
            let page = PageStorage<Element>(count: pageSize) { raw in
                decoded = Self.decode(
                    bitmap: sparse.bitmap, values: sparse.values, tail: sparse.tail, words: sparse.words, into: raw)
                if used < pageSize {
                    (raw.assumingMemoryBound(to: Element.self) + used).initialize(repeating: filler, count: pageSize - used)
                }
            }
            guard decoded else { throw ModelError.corruptState("a page's bitmap marks words beyond the page") }
            pages.append(page)
            remaining -= used
        }
        count = newCount
    }

    /// Moves `reader` past `count` elements' sparse pages without decoding them (reading only
    /// the bitmaps), so that another thread can decode them from where they start.
    static func skip(count: Int, pageSize: Int, from reader: inout ByteReader) throws(ModelError) {
        var remaining = count
        while remaining > 0 {
            let used = Swift.min(remaining, pageSize)
            _ = try readPage(elements: used, from: &reader)
            remaining -= used
        }
    }

    /// Takes one sparse page of `elements` elements from `reader`: its bitmap, the non-zero words
    /// the bitmap counts, and the tail bytes; `words` is the page's whole 8-byte words.
    private static func readPage(elements: Int, from reader: inout ByteReader) throws(ModelError) -> (
        bitmap: UnsafeRawBufferPointer, values: UnsafeRawBufferPointer, tail: UnsafeRawBufferPointer, words: Int
    ) {
        let byteCount = elements * MemoryLayout<Element>.stride
        let words = byteCount / 8
        let bitmap = try reader.take(bitmapBytes(words: words))
        var present = 0
        for index in 0..<(bitmap.count / 8) {
            present += UInt64(littleEndian: bitmap.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)).nonzeroBitCount
        }
        let values = try reader.take(present * 8)
        let tail = try reader.take(byteCount - words * 8)
        return (bitmap, values, tail, words)
    }

    static func bitmapBytes(words: Int) -> Int { (words + 63) / 64 * 8 }

    /// Writes the sparse form of `bytes` to `output` (large enough) and returns its length.
    static func encode(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        let words = bytes.count / 8
        let bitmapLength = bitmapBytes(words: words)
        let source = bytes.baseAddress!
        let target = output.baseAddress!
        var present = 0
        var block = 0
        while block * 64 < words {
            let first = block * 64
            let end = Swift.min(first + 64, words)
            var bits: UInt64 = 0
            for word in first..<end {
                let value = source.loadUnaligned(fromByteOffset: word * 8, as: UInt64.self)
                // Stored unconditionally and kept only when non-zero: no branch to mispredict.
                target.storeBytes(of: value, toByteOffset: bitmapLength + present * 8, as: UInt64.self)
                let isPresent = value != 0 ? 1 : 0
                bits |= UInt64(isPresent) << UInt64(word - first)
                present += isPresent
            }
            target.storeBytes(of: bits.littleEndian, toByteOffset: block * 8, as: UInt64.self)
            block += 1
        }
        let tail = bytes.count - words * 8
        let length = bitmapLength + present * 8
        if tail > 0 {
            (target + length).copyMemory(from: source + words * 8, byteCount: tail)
        }
        return length + tail
    }

    /// Expands a sparse page into `destination`; false when the bitmap marks words past the end.
    static func decode(
        bitmap: UnsafeRawBufferPointer, values: UnsafeRawBufferPointer, tail: UnsafeRawBufferPointer, words: Int,
        into destination: UnsafeMutableRawPointer
    ) -> Bool {
        var next = 0
        var block = 0
        while block * 64 < words {
            let first = block * 64
            let count = Swift.min(64, words - first)
            let bits = UInt64(littleEndian: bitmap.loadUnaligned(fromByteOffset: block * 8, as: UInt64.self))
            if count < 64, bits >> UInt64(count) != 0 { return false }
            let target = destination + first * 8
            if bits == 0 {
                target.initializeMemory(as: UInt8.self, repeating: 0, count: count * 8)
            } else if bits == .max {
                target.copyMemory(from: values.baseAddress! + next * 8, byteCount: 512)
                next += 64
            } else {
                // Zero the block, then visit only the set bits.
                target.initializeMemory(as: UInt8.self, repeating: 0, count: count * 8)
                var remaining = bits
                while remaining != 0 {
                    let word = remaining.trailingZeroBitCount
                    target.storeBytes(of: values.loadUnaligned(fromByteOffset: next * 8, as: UInt64.self), toByteOffset: word * 8, as: UInt64.self)
                    next += 1
                    remaining &= remaining - 1
                }
            }
            block += 1
        }
        if tail.count > 0 {
            (destination + words * 8).copyMemory(from: tail.baseAddress!, byteCount: tail.count)
        }
        return true
    }
}
