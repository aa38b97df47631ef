import ResonanceEngine
import Synchronization

/// The HTTP side's view of a running pipeline: the latest progress report (state copies, counters,
/// lag) and the pipeline's phase, readable from any thread.
///
/// The processing thread calls ``pipelineProgressed(_:)``; HTTP handlers call ``latest`` and get
/// a copy, so a slow request never holds the lock while the pipeline waits for it.
public final class PipelineView: PipelineObserver, Sendable {
    private struct Shared {
        var progress: PipelineProgress?
        var phase: PipelinePhase = .starting
    }

    private let shared = Mutex(Shared())
    private let metrics: PipelineMetrics?

    /// A view; `metrics`, when given, is updated from every progress report.
    public init(metrics: PipelineMetrics? = nil) {
        self.metrics = metrics
    }

    /// Called on the processing thread: keeps the report and updates the metrics.
    public func pipelineProgressed(_ progress: PipelineProgress) {
        metrics?.record(progress)
        shared.withLock { shared in
            shared.progress = progress
            if shared.phase == .starting { shared.phase = .running }
        }
    }

    /// The latest progress report, if one arrived.
    public var latest: PipelineProgress? {
        shared.withLock { $0.progress }
    }

    /// The pipeline's phase.
    public var phase: PipelinePhase {
        shared.withLock { $0.phase }
    }

    /// Records a phase change (the lifecycle service does, on shutdown). Phases only move forward.
    public func enter(_ phase: PipelinePhase) {
        let order: [PipelinePhase] = [.starting, .running, .stopping, .stopped]
        shared.withLock { shared in
            if order.firstIndex(of: phase)! > order.firstIndex(of: shared.phase)! { shared.phase = phase }
        }
    }
}
