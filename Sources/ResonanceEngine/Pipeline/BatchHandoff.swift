import Foundation

/// Hands batches from one thread to another in order. Unbounded: what feeds it bounds it (the
/// batches in circulation of ``FileDecodeStage``, one poll at a time for ``MessageDecodeStage``).
/// `take` blocks until a batch arrives or the handoff is closed.
final class BatchHandoff<Batch>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Batch] = []
    private var head = 0
    private var closed = false

    func put(_ batch: Batch) {
        condition.lock()
        queue.append(batch)
        condition.signal()
        condition.unlock()
    }

    /// The next batch, or nil once the handoff is closed and empty.
    func take() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count {
            if closed { return nil }
            condition.wait()
        }
        let batch = queue[head]
        head += 1
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        }
        return batch
    }

    /// No more batches: `take` returns what is queued, then nil.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
