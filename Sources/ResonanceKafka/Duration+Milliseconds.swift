extension Duration {
    /// Whole milliseconds, rounded down and clamped to what librdkafka's `int` timeouts hold.
    var wholeMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1_000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(0, milliseconds))
    }
}
