/// What the decoder made of one input line or message: the event, or why it is not one.
enum DecodeOutcome {
    case event(DecodedEvent)
    case rejected(EventRejection)
}

/// A run of whole input lines and what the decoder made of each: filled on the decoding thread,
/// applied on the processing thread, then handed back to be filled again.
///
/// The lines' bytes and the decoder's scratch space belong to the batch, so a ``DecodedEvent``'s
/// byte views stay valid until the batch is refilled: nothing is copied or allocated per event
/// on the way from the file to the model.
final class DecodedBatch: @unchecked Sendable {
    /// One non-empty line.
    struct Entry {
        /// The line's 1-based number in the input (for dead letters).
        var number: Int
        /// Where the line's bytes start in ``bytes``, and how many there are (no newline).
        var start: Int
        var count: Int
        /// The decoded event, or why the line is not one.
        var outcome: DecodeOutcome
    }

    /// The lines' bytes; ``filled`` of ``capacity`` are in use.
    private(set) var bytes: UnsafeMutableRawPointer
    /// The decoder's scratch space: a line at `start` unescapes its strings into
    /// `scratch + start`, never more bytes than the line has, so lines never share scratch.
    private(set) var scratch: UnsafeMutableRawPointer
    private(set) var capacity: Int
    var filled = 0
    var entries: [Entry] = []

    init(capacity: Int) {
        self.capacity = capacity
        bytes = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        scratch = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        entries.reserveCapacity(capacity / 128)
    }

    deinit {
        bytes.deallocate()
        scratch.deallocate()
    }

    /// Doubles the space for a line longer than the batch; only while no entry points into it.
    func grow() {
        precondition(entries.isEmpty, "a batch grows only before any of its lines is decoded")
        let larger = capacity * 2
        let newBytes = UnsafeMutableRawPointer.allocate(byteCount: larger, alignment: 16)
        newBytes.copyMemory(from: bytes, byteCount: filled)
        bytes.deallocate()
        scratch.deallocate()
        bytes = newBytes
        scratch = UnsafeMutableRawPointer.allocate(byteCount: larger, alignment: 16)
        capacity = larger
    }

    /// The bytes of `entry`'s line.
    func line(_ entry: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bytes + entry.start, count: entry.count)
    }
}
