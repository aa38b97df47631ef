import Dispatch

extension Array where Element: Sendable {
    /// `map(transform)`, with the elements transformed at once on as many threads as there are
    /// cores (the caller's among them), and the results in the elements' order. For a few large,
    /// independent pieces of work: partitions' states made or written together.
    func concurrentMap<Result>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        guard count > 1 else { return map(transform) }
        // Each thread writes only its own slot.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Result>.allocate(capacity: count)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results.initializeElement(at: index, to: transform(self[index]))
        }
        return Swift.Array(results)
    }
}
