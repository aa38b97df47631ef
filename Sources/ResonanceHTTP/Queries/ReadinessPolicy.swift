import ResonanceEngine

/// Decides readiness from the pipeline's phase and latest progress: ready once partitions are
/// assigned, every one has been restored (read to its end once since assignment) and none lags
/// more than ``maxLag`` messages. No I/O and no clock, so every rule is tested directly.
///
/// A progress report does not say whether the group has assigned nothing yet or assigned this
/// instance nothing (more instances than partitions), so an instance owning no partition state
/// is not ready: a few seconds of 503 at start instead of answering before the first assignment.
public struct ReadinessPolicy: Sendable, Equatable {
    /// The most messages an assigned partition may lag behind its end for the instance to be ready.
    public var maxLag: Int64

    /// A policy with the given lag bound.
    public init(maxLag: Int64 = 10_000) {
        self.maxLag = maxLag
    }

    /// Evaluates readiness.
    public func evaluate(phase: PipelinePhase, progress: PipelineProgress?) -> Readiness {
        let assigned = progress?.partitions.count ?? 0
        let worst = progress?.lag.max { $0.value < $1.value }
        func answer(_ ready: Bool, _ reason: String) -> Readiness {
            Readiness(
                ready: ready, phase: phase, reason: reason, assignedPartitions: assigned,
                maxLag: worst?.value, lagBound: maxLag)
        }
        switch phase {
        case .stopping: return answer(false, "shutting down: finishing the batch in flight and leaving the group")
        case .stopped: return answer(false, "stopped: the pipeline is no longer running")
        case .starting, .running: break
        }
        guard let progress else {
            return answer(false, "starting: the pipeline has not reported progress yet (joining the group, assigning partitions)")
        }
        guard !progress.partitions.isEmpty else {
            return answer(false, "starting: waiting for the consumer group to assign partitions")
        }
        guard progress.caughtUp else {
            return answer(false, "restoring: not every assigned partition has been read to its end since assignment")
        }
        if let worst, worst.value > maxLag {
            return answer(false, "lagging: \(worst.key) is \(worst.value) messages behind, more than the bound of \(maxLag)")
        }
        // Ready all the same: waiting would not bring the deleted events back.
        let incomplete = progress.incompletePartitions.sorted()
        let warning = incomplete.isEmpty ? "" : "; incomplete state in partition(s) \(incomplete.map(String.init).joined(separator: ",")): the input no longer retains events their state never saw"
        return answer(true, "ready: \(progress.partitions.count) partition state(s) restored and caught up\(warning)")
    }
}
