/// The answer of `/readyz`: whether this instance should receive traffic, and why not.
public struct Readiness: Sendable, Equatable, Codable {
    /// Whether the instance is ready.
    public var ready: Bool
    /// The pipeline's phase.
    public var phase: PipelinePhase
    /// Why the instance is (not) ready, for the operator reading the probe's output.
    public var reason: String
    /// Partition states this instance owns (one per input partition number).
    public var assignedPartitions: Int
    /// The largest lag of an assigned partition, when known.
    public var maxLag: Int64?
    /// The lag bound readiness allows.
    public var lagBound: Int64
}
