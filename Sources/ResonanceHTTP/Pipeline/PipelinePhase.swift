/// Where a pipeline is in its life, as the HTTP side sees it: readiness depends on it.
public enum PipelinePhase: String, Sendable, Codable {
    /// Started, no progress report yet (partitions being assigned and restored).
    case starting
    /// Reporting progress.
    case running
    /// Graceful shutdown asked for: finishing the batch in flight, flushing, leaving the group.
    case stopping
    /// The processing thread has returned.
    case stopped
}
