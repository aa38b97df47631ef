import CoreMetrics
import Prometheus
import ResonanceEngine
import ResonanceKafka
import Synchronization

/// The pipeline's figures as swift-metrics instruments backed by a Prometheus registry.
///
/// Counters are fed from the cumulative counters of each ``PipelineProgress`` (the difference to
/// the previous report), so the processing thread's hot path counts nothing twice. The factory
/// is injected rather than bootstrapped globally, so tests and several pipelines in one process
/// each have their own registry.
public final class PipelineMetrics: Sendable {
    private struct Instruments {
        var previous = PipelineCounters()
        var previousSnapshotFailures = 0
        var previousStandingsGaps = 0
        var previousShippedBytes = 0
        var previousRestores: [String: Int] = [:]
        var restores: [String: CoreMetrics.Counter] = [:]
        var incomplete: [Int32: CoreMetrics.Gauge] = [:]
        var events: [EventKind: CoreMetrics.Counter] = [:]
        var deadLettered: [RejectionReason: CoreMetrics.Counter] = [:]
        var lag: [KafkaTopicPartition: CoreMetrics.Gauge] = [:]
        var snapshotWallClock: Int64?
        var snapshotAge: CoreMetrics.Gauge?
        var snapshotDuration: CoreMetrics.Gauge?
    }

    /// The registry the series live in (what ``exposition(wallClock:)`` prints).
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let messages: CoreMetrics.Counter
    private let scoreChanges: CoreMetrics.Counter
    private let tombstones: CoreMetrics.Counter
    private let snapshotFailures: CoreMetrics.Counter
    private let usersInState: CoreMetrics.Gauge
    private let assignedPartitions: CoreMetrics.Gauge
    private let scoreTableUsers: CoreMetrics.Gauge
    private let residentMemory: CoreMetrics.Gauge
    private let ready: CoreMetrics.Gauge
    private let heldMessages: CoreMetrics.Gauge
    private let standingsGaps: CoreMetrics.Counter
    private let pausedPartitions: CoreMetrics.Gauge
    private let shippedBytes: CoreMetrics.Counter
    private let instruments = Mutex(Instruments())

    /// Metrics in `registry` (a new one by default).
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let factory = PrometheusMetricsFactory(registry: registry)
        self.factory = factory
        messages = CoreMetrics.Counter(label: MetricName.messages, factory: factory)
        scoreChanges = CoreMetrics.Counter(label: MetricName.scoreChanges, factory: factory)
        tombstones = CoreMetrics.Counter(label: MetricName.tombstones, factory: factory)
        snapshotFailures = CoreMetrics.Counter(label: MetricName.snapshotFailures, factory: factory)
        usersInState = CoreMetrics.Gauge(label: MetricName.usersInState, factory: factory)
        assignedPartitions = CoreMetrics.Gauge(label: MetricName.assignedPartitions, factory: factory)
        scoreTableUsers = CoreMetrics.Gauge(label: MetricName.scoreTableUsers, factory: factory)
        residentMemory = CoreMetrics.Gauge(label: MetricName.residentMemory, factory: factory)
        ready = CoreMetrics.Gauge(label: MetricName.ready, factory: factory)
        heldMessages = CoreMetrics.Gauge(label: MetricName.heldMessages, factory: factory)
        standingsGaps = CoreMetrics.Counter(label: MetricName.standingsGaps, factory: factory)
        pausedPartitions = CoreMetrics.Gauge(label: MetricName.pausedPartitions, factory: factory)
        shippedBytes = CoreMetrics.Counter(label: MetricName.shippedBytes, factory: factory)
        // Every kind and reason exists from the start at 0, so rate() and alerts see the series
        // before the first event of that kind.
        instruments.withLock { instruments in
            for kind in EventKind.allCases {
                instruments.events[kind] = CoreMetrics.Counter(label: MetricName.events, dimensions: [("kind", kind.name)], factory: factory)
            }
            for reason in RejectionReason.allCases {
                instruments.deadLettered[reason] = CoreMetrics.Counter(
                    label: MetricName.deadLettered, dimensions: [("reason", reason.rawValue)], factory: factory)
            }
        }
    }

    /// Takes in a progress report (called on the processing thread: a few dozen atomic updates).
    public func record(_ progress: PipelineProgress) {
        var users = 0
        for processor in progress.partitions.values { users += processor.state.trackedUserCount }
        usersInState.record(users)
        assignedPartitions.record(progress.lag.count)
        instruments.withLock { instruments in
            let counters = progress.counters
            let previous = instruments.previous
            messages.increment(by: max(0, counters.messages - previous.messages))
            scoreChanges.increment(by: max(0, counters.changesPublished - previous.changesPublished))
            tombstones.increment(by: max(0, counters.tombstonesPublished - previous.tombstonesPublished))
            for (kind, count) in counters.applied {
                instruments.events[kind]?.increment(by: max(0, count - previous.applied[kind, default: 0]))
            }
            for (reason, count) in counters.rejected {
                instruments.deadLettered[reason]?.increment(by: max(0, count - previous.rejected[reason, default: 0]))
            }
            instruments.previous = counters
            snapshotFailures.increment(by: max(0, progress.failedSnapshots - instruments.previousSnapshotFailures))
            instruments.previousSnapshotFailures = progress.failedSnapshots
            standingsGaps.increment(by: max(0, progress.standingsGaps - instruments.previousStandingsGaps))
            instruments.previousStandingsGaps = progress.standingsGaps
            heldMessages.record(progress.heldMessages)
            pausedPartitions.record(progress.pausedPartitions)
            shippedBytes.increment(by: max(0, progress.shippedBytes - instruments.previousShippedBytes))
            instruments.previousShippedBytes = progress.shippedBytes
            for (source, count) in progress.restores {
                if instruments.restores[source] == nil {
                    instruments.restores[source] = CoreMetrics.Counter(label: MetricName.restores, dimensions: [("source", source)], factory: factory)
                }
                instruments.restores[source]!.increment(by: max(0, count - instruments.previousRestores[source, default: 0]))
                instruments.previousRestores[source] = count
            }
            // Every owned partition has the series, at 0 while its state is complete.
            for partition in Set(progress.partitions.keys).union(progress.incompletePartitions) {
                if instruments.incomplete[partition] == nil {
                    instruments.incomplete[partition] = CoreMetrics.Gauge(
                        label: MetricName.stateIncomplete, dimensions: [("partition", String(partition))], factory: factory)
                }
            }
            for (partition, gauge) in instruments.incomplete {
                gauge.record(progress.incompletePartitions.contains(partition) ? 1 : 0)
            }

            for (topicPartition, lag) in progress.lag {
                if instruments.lag[topicPartition] == nil {
                    instruments.lag[topicPartition] = CoreMetrics.Gauge(
                        label: MetricName.consumerLag,
                        dimensions: [("topic", topicPartition.topic), ("partition", String(topicPartition.partition))],
                        factory: factory)
                }
                instruments.lag[topicPartition]!.record(lag)
            }
            // A revoked partition's lag is another instance's to report now.
            for (topicPartition, gauge) in instruments.lag where progress.lag[topicPartition] == nil {
                gauge.destroy()
                instruments.lag[topicPartition] = nil
            }

            if let completed = progress.lastSnapshotWallClock {
                instruments.snapshotWallClock = completed
                if instruments.snapshotAge == nil {
                    instruments.snapshotAge = CoreMetrics.Gauge(label: MetricName.snapshotAge, factory: factory)
                }
                instruments.snapshotAge!.record(Double(max(0, progress.wallClock - completed)) / 1000)
            }
            if let duration = progress.lastSnapshotDuration {
                if instruments.snapshotDuration == nil {
                    instruments.snapshotDuration = CoreMetrics.Gauge(label: MetricName.snapshotDuration, factory: factory)
                }
                let parts = duration.components
                instruments.snapshotDuration!.record(Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
            }
        }
    }

    /// The Prometheus text exposition, with the figures read at scrape time brought up to date:
    /// memory, snapshot age at `wallClock` (epoch ms), table size and readiness.
    public func exposition(wallClock: Int64, scoreTableUsers users: Int, isReady: Bool) -> String {
        if let bytes = ResidentMemory.bytes() { residentMemory.record(bytes) }
        scoreTableUsers.record(users)
        ready.record(isReady ? 1 : 0)
        instruments.withLock { instruments in
            if let completed = instruments.snapshotWallClock {
                instruments.snapshotAge?.record(Double(max(0, wallClock - completed)) / 1000)
            }
        }
        return registry.emitToString()
    }
}
