import ResonanceKafka
import ResonanceModel

/// Watches a running ``StreamProcessor`` from its processing thread: the hook through which the
/// HTTP API gets read-only copies of partition state and metrics get their figures.
///
/// Called after a batch at most once per ``StreamProcessor`` observation interval, on the
/// processing thread, so implementations must be quick (copy what they need and return).
public protocol PipelineObserver: AnyObject, Sendable {
    /// The pipeline's progress: counters so far, the partition states it owns now, and each
    /// assigned partition's lag (messages behind the end, when known).
    func pipelineProgressed(_ progress: PipelineProgress)
}

/// One owned partition as a ``PipelineObserver`` is shown it: a copy of its state made for
/// reading (``InfluenceState/forReading()``), which other threads may read while the processing
/// thread goes on. Making one costs O(pages); the processing thread then duplicates each shared
/// page the first time it writes it, for as long as the copy lives.
public struct ObservedPartition: Sendable {
    /// The input partition number.
    public let partition: Int32
    /// The partition's state when the copy was made, for reading only.
    public let state: InfluenceState

    public init(partition: Int32, state: InfluenceState) {
        self.partition = partition
        self.state = state.isReadingCopy ? state : state.forReading()
    }
}

/// What a ``PipelineObserver`` is shown.
public struct PipelineProgress: Sendable {
    /// Counters since start.
    public var counters: PipelineCounters
    /// The partition states owned now, by partition number.
    public var partitions: [Int32: ObservedPartition]
    /// Messages behind the end of each assigned input partition, when known.
    public var lag: [KafkaTopicPartition: Int64]
    /// The next offset to read in each partition processed so far (what a snapshot would cover).
    public var nextOffsets: [KafkaTopicPartition: Int64] = [:]
    /// Whether every assigned partition has been read to its end at least once since assignment.
    public var caughtUp: Bool
    /// Wall-clock time of this report, epoch milliseconds.
    public var wallClock: Int64
    /// When the newest durable snapshot of any owned partition was completed (epoch
    /// milliseconds), if one was; `nil` until snapshots exist.
    public var lastSnapshotWallClock: Int64? = nil
    /// How long writing that snapshot took.
    public var lastSnapshotDuration: Duration? = nil
    /// Snapshot writes that failed since start (full disk, unwritable directory).
    public var failedSnapshots = 0
    /// Bytes of snapshots shipped to the state topic since start.
    public var shippedBytes = 0
    /// How many partitions were installed from each source since start: `state_topic`,
    /// `state_directory`, `rebuilt` (from the input's earliest retained offset).
    public var restores: [String: Int] = [:]
    /// Partitions whose state misses events the input no longer retains.
    public var incompletePartitions: Set<Int32> = []
    /// Messages polled but held back because their partition waits for the others to close an
    /// epoch (docs/DESIGN.md, "Deterministic Who").
    public var heldMessages = 0
    /// Standings reads that found only newer versions than asked for, since start.
    public var standingsGaps = 0
    /// Partitions paused now because too many of their messages wait (see
    /// ``StreamProcessor/Options/maxQueuedPerPartition``).
    public var pausedPartitions = 0

    /// A progress report; public so that observers can be tested with states built elsewhere
    /// (a ``FileScorer`` run, for instance).
    public init(
        counters: PipelineCounters, partitions: [Int32: ObservedPartition], lag: [KafkaTopicPartition: Int64],
        nextOffsets: [KafkaTopicPartition: Int64] = [:], caughtUp: Bool, wallClock: Int64, lastSnapshotWallClock: Int64? = nil,
        lastSnapshotDuration: Duration? = nil, failedSnapshots: Int = 0, shippedBytes: Int = 0, restores: [String: Int] = [:],
        incompletePartitions: Set<Int32> = [], heldMessages: Int = 0, standingsGaps: Int = 0, pausedPartitions: Int = 0
    ) {
        self.counters = counters
        self.partitions = partitions
        self.lag = lag
        self.nextOffsets = nextOffsets
        self.caughtUp = caughtUp
        self.wallClock = wallClock
        self.lastSnapshotWallClock = lastSnapshotWallClock
        self.lastSnapshotDuration = lastSnapshotDuration
        self.failedSnapshots = failedSnapshots
        self.shippedBytes = shippedBytes
        self.restores = restores
        self.incompletePartitions = incompletePartitions
        self.heldMessages = heldMessages
        self.standingsGaps = standingsGaps
        self.pausedPartitions = pausedPartitions
    }
}

/// Shows every progress report to several observers, in order (the HTTP API's view and a
/// command's progress line, for instance).
public final class PipelineObservers: PipelineObserver, Sendable {
    private let observers: [any PipelineObserver]

    public init(_ observers: [any PipelineObserver]) {
        self.observers = observers
    }

    public func pipelineProgressed(_ progress: PipelineProgress) {
        for observer in observers { observer.pipelineProgressed(progress) }
    }
}
