/// Flow control per partition: a partition with more than `highWatermark` messages waiting in
/// this process is paused at the broker, and resumed once it is down to half as many. A value
/// type that only decides; the caller pauses or resumes the consumer and then confirms, so a
/// partition whose pause or resume failed keeps its state and is tried again at the next pass.
///
/// Kafka Streams bounds its buffers the same way (`buffered.records.per.partition`). A partition
/// with nothing waiting is never paused, so pausing never stops every partition that could go on:
/// the one that holds the others back at an epoch can always apply what it has.
struct Backpressure: Sendable {
    /// What a partition needs done.
    enum Action: Equatable, Sendable {
        case none
        case pause
        case resume
    }

    /// Most messages a partition may have waiting before it is paused.
    let highWatermark: Int
    private var paused: [Bool]
    /// Partitions paused so far (for tests and tools).
    private(set) var pauses = 0

    init(partitions: Int, highWatermark: Int) {
        self.highWatermark = highWatermark
        paused = Array(repeating: false, count: partitions)
    }

    /// Whether `partition` is paused for backpressure.
    func isPaused(_ partition: Int) -> Bool { paused[partition] }

    /// Partitions paused for backpressure now.
    var pausedCount: Int { paused.lazy.filter { $0 }.count }

    /// What `partition`, with `queued` messages waiting, needs: a pause above the high watermark,
    /// a resume at or below half of it once paused, else nothing.
    func observe(partition: Int, queued: Int) -> Action {
        if !paused[partition] && queued > highWatermark { return .pause }
        if paused[partition] && queued <= highWatermark / 2 { return .resume }
        return .none
    }

    /// Records that the consumer did `action` for `partition`.
    mutating func confirm(_ action: Action, partition: Int) {
        switch action {
        case .pause:
            paused[partition] = true
            pauses += 1
        case .resume:
            paused[partition] = false
        case .none:
            break
        }
    }

    /// What a partition leaving this instance needs: librdkafka keeps a pause across an
    /// assignment, so the next owner here must find it resumed. The flag is cleared at once.
    mutating func release(partition: Int) -> Action {
        guard paused[partition] else { return .none }
        paused[partition] = false
        return .resume
    }
}
