/// What a pipeline has done so far: the figures behind its summary line and its metrics.
public struct PipelineCounters: Sendable, Equatable {
    /// Messages read from the input, valid or not.
    public var messages = 0
    /// Valid events applied, by kind.
    public var applied: [EventKind: Int] = [:]
    /// Rejected messages, by reason.
    public var rejected: [RejectionReason: Int] = [:]
    /// Score changes published (tombstones included).
    public var changesPublished = 0
    /// Tombstones published after erases.
    public var tombstonesPublished = 0

    public init() {}

    /// Valid events applied, all kinds.
    public var appliedTotal: Int { applied.values.reduce(0, +) }
    /// Messages rejected, all reasons.
    public var rejectedTotal: Int { rejected.values.reduce(0, +) }
}
