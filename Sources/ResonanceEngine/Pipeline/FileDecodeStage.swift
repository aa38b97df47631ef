import Foundation

/// Reads a JSON-lines input and decodes it on a thread of its own, a batch of lines at a time,
/// so that the processing thread only applies and publishes: on two cores, reading, splitting and
/// decoding (about a quarter of `run --input`'s time) overlap with the model.
///
/// Batches come out in input order and carry their lines' bytes, so every event is applied in the
/// same order and with the same bytes as when one thread did everything: results are unchanged.
/// A fixed set of batches circulates between the two threads; nothing is allocated per line.
final class FileDecodeStage: @unchecked Sendable {
    /// Decoded batches, in input order; closed after the last one (or a failure).
    let decoded = BatchHandoff<DecodedBatch>()
    /// Batches the processing thread has finished with.
    private let free = BatchHandoff<DecodedBatch>()
    private let reader: LineReader
    private let decoder: EventDecoder
    /// Why reading stopped early; set before ``decoded`` is closed.
    private(set) var failure: (any Error)?

    /// - Parameters:
    ///   - batchCount: batches in circulation: how far decoding may run ahead.
    ///   - batchBytes: the input bytes a batch holds (it grows for a longer line).
    init(reader: LineReader, limits: DecoderLimits, batchCount: Int = 4, batchBytes: Int = 1 << 20) {
        self.reader = reader
        decoder = EventDecoder(limits: limits)
        for _ in 0..<batchCount { free.put(DecodedBatch(capacity: batchBytes)) }
    }

    /// Starts the decoding thread.
    func start() {
        let thread = Thread { [self] in
            do { try decodeAll() } catch { failure = error }
            decoded.close()
        }
        thread.name = "resonance.decode"
        thread.start()
    }

    /// Gives a batch back once every entry in it has been applied.
    func recycle(_ batch: DecodedBatch) {
        free.put(batch)
    }

    /// Stops the decoding thread at its next batch (when processing ends early).
    func stop() {
        free.close()
    }

    private func decodeAll() throws {
        guard var batch = takeFree() else { return }
        var lineNumber = 0
        var atEnd = false
        while true {
            while !atEnd, batch.filled < batch.capacity {
                let got = try reader.read(
                    into: UnsafeMutableRawBufferPointer(start: batch.bytes + batch.filled, count: batch.capacity - batch.filled))
                if got == 0 { atEnd = true } else { batch.filled += got }
            }
            var start = 0
            while start < batch.filled,
                let newline = memchr(batch.bytes + start, Int32(UInt8(ascii: "\n")), batch.filled - start)
            {
                let end = UnsafeRawPointer(newline) - UnsafeRawPointer(batch.bytes)
                lineNumber += 1
                decodeLine(in: batch, start: start, count: end - start, number: lineNumber)
                start = end + 1
            }
            if atEnd {
                if start < batch.filled {
                    lineNumber += 1
                    decodeLine(in: batch, start: start, count: batch.filled - start, number: lineNumber)
                }
                decoded.put(batch)
                try reader.finish()
                return
            }
            if start == 0 {
                // A full batch and no newline: a line longer than the batch.
                batch.grow()
                continue
            }
            // The partial last line starts the next batch.
            let tail = batch.filled - start
            guard let next = takeFree() else { return }
            while next.capacity < tail { next.grow() }
            next.bytes.copyMemory(from: batch.bytes + start, byteCount: tail)
            next.filled = tail
            decoded.put(batch)
            batch = next
        }
    }

    private func takeFree() -> DecodedBatch? {
        guard let batch = free.take() else { return nil }
        batch.filled = 0
        batch.entries.removeAll(keepingCapacity: true)
        return batch
    }

    private func decodeLine(in batch: DecodedBatch, start: Int, count: Int, number: Int) {
        guard count > 0 else { return }
        let line = UnsafeRawBufferPointer(start: batch.bytes + start, count: count)
        let outcome: DecodeOutcome
        do {
            outcome = .event(try decoder.decode(line, key: nil, scratch: batch.scratch + start))
        } catch {
            outcome = .rejected(error)
        }
        batch.entries.append(DecodedBatch.Entry(number: number, start: start, count: count, outcome: outcome))
    }
}
