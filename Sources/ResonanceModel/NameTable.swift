/// A short list of interned names (actions, networks), looked up by their UTF-8 bytes on every
/// event.
///
/// Names of up to 16 bytes, which is nearly all of them, are also kept as two words and a
/// length, so a lookup compares integers in one flat array. Comparing against each name's own
/// array (an array of arrays) retained and released every candidate it passed: 4% of the
/// processing thread in `perf`, for two lookups per event.
struct NameTable: Sendable {
    /// The names, indexed by id.
    private(set) var names: [[UInt8]] = []
    /// Per name, its bytes packed (``Key/none`` for a name too long to pack).
    private var keys: [Key] = []

    struct Key: BitwiseCopyable, Equatable {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var count = -1

        /// Matches no name: the key of a name over 16 bytes.
        static let none = Key()

        /// The packed bytes of `name`, or nil when it is longer than 16 bytes.
        init?(_ name: UnsafeRawBufferPointer) {
            guard name.count <= 16 else { return nil }
            var words: (UInt64, UInt64) = (0, 0)
            if let base = name.baseAddress {
                withUnsafeMutableBytes(of: &words) { $0.baseAddress!.copyMemory(from: base, byteCount: name.count) }
            }
            (low, high, count) = (words.0, words.1, name.count)
        }

        private init() {}
    }

    init() {}

    init(_ names: [[UInt8]]) {
        for name in names { append(name) }
    }

    var count: Int { names.count }

    subscript(index: Int) -> [UInt8] { names[index] }

    /// The index of `name`, or nil when it is not in the table.
    func index(of name: UnsafeRawBufferPointer) -> Int? {
        if let key = Key(name) {
            return keys.withUnsafeBufferPointer { keys in keys.firstIndex(of: key) }
        }
        return names.firstIndex { candidate in candidate.withUnsafeBytes { bytesEqual($0, name) } }
    }

    mutating func append(_ name: [UInt8]) {
        names.append(name)
        keys.append(name.withUnsafeBytes { Key($0) } ?? .none)
    }
}
