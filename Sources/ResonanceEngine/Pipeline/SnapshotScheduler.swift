/// When each partition's state needs a snapshot, and what a finished snapshot made durable. A
/// value type that only decides; the caller takes the snapshots and reports back.
///
/// A partition is due when it changed since its last snapshot (an event applied or an epoch
/// closed: a close changes the state without an event) and the interval has passed since that
/// snapshot was taken, and no snapshot of it is being written.
struct SnapshotScheduler: Sendable {
    /// Where a partition's state stood when a snapshot of it was taken.
    struct Mark: Equatable, Sendable {
        /// Wall clock, epoch milliseconds; `.min` for none yet.
        var wallClock: Int64
        /// The partition's sequence (events applied).
        var sequence: Int64
        /// The last standings epoch closed.
        var closedThrough: Int64

        /// No snapshot: the partition is due as soon as it changes (or at once, with any state).
        static let none = Mark(wallClock: .min, sequence: -1, closedThrough: .min)
    }

    /// Time between periodic snapshots of a partition, milliseconds.
    let intervalMilliseconds: Int64
    private var marks: [Mark]
    /// The standings epoch closed in the snapshot being written, per partition.
    private var pendingDurable: [Int64]

    init(partitions: Int, intervalMilliseconds: Int64) {
        self.intervalMilliseconds = intervalMilliseconds
        marks = Array(repeating: .none, count: partitions)
        pendingDurable = Array(repeating: .min, count: partitions)
    }

    /// The mark of `partition`'s last snapshot.
    func mark(_ partition: Int) -> Mark { marks[partition] }

    /// Whether `partition`, now at `sequence` with standings closed through `closedThrough`, is
    /// as its last snapshot took it.
    func isUnchanged(_ partition: Int, sequence: Int64, closedThrough: Int64) -> Bool {
        marks[partition].sequence == sequence && marks[partition].closedThrough == closedThrough
    }

    /// Whether a periodic snapshot of `partition` is due at `wallClock`.
    func isDue(_ partition: Int, wallClock: Int64, sequence: Int64, closedThrough: Int64, writing: Bool) -> Bool {
        let last = marks[partition]
        return !writing && !isUnchanged(partition, sequence: sequence, closedThrough: closedThrough)
            && (last.wallClock == .min || wallClock - last.wallClock >= intervalMilliseconds)
    }

    /// Records that a snapshot of `partition` at this point was taken (and is being written).
    mutating func taken(_ partition: Int, wallClock: Int64, sequence: Int64, closedThrough: Int64) {
        marks[partition] = Mark(wallClock: wallClock, sequence: sequence, closedThrough: closedThrough)
        pendingDurable[partition] = closedThrough
    }

    /// Records the state a partition was given (restored from a snapshot or made empty): it is
    /// as durable as it is.
    mutating func installed(_ partition: Int, wallClock: Int64, sequence: Int64, closedThrough: Int64) {
        marks[partition] = Mark(wallClock: wallClock, sequence: sequence, closedThrough: closedThrough)
    }

    /// The standings epoch a successfully written snapshot of `partition` made durable.
    func durableClosedThrough(_ partition: Int) -> Int64 { pendingDurable[partition] }

    /// A snapshot of `partition` failed: it is due again at the next check.
    mutating func failed(_ partition: Int, at wallClock: Int64) {
        guard partition < marks.count else { return }
        marks[partition] = Mark(wallClock: wallClock, sequence: -1, closedThrough: .min)
    }

    /// `partition` left this instance.
    mutating func forget(_ partition: Int) {
        marks[partition] = .none
    }
}
