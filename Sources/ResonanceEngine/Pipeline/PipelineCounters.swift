/// What a pipeline has done so far: the figures behind its summary line and its metrics.
public struct PipelineCounters: Sendable, Equatable {
    /// Messages read from the input, valid or not.
    public var messages = 0
    /// Valid events applied, by kind.
    public var applied: [EventKind: Int] {
        get {
            var byKind: [EventKind: Int] = [:]
            for kind in EventKind.allCases where appliedByKind[Int(kind.rawValue)] != 0 {
                byKind[kind] = appliedByKind[Int(kind.rawValue)]
            }
            return byKind
        }
        set {
            for kind in EventKind.allCases { appliedByKind[Int(kind.rawValue)] = newValue[kind] ?? 0 }
        }
    }
    /// ``applied`` as counted: indexed by kind, so that counting an event (on every message)
    /// hashes nothing.
    private var appliedByKind = [Int](repeating: 0, count: EventKind.allCases.count)
    /// Rejected messages, by reason.
    public var rejected: [RejectionReason: Int] = [:]
    /// Score changes published (tombstones included).
    public var changesPublished = 0
    /// Tombstones published after erases.
    public var tombstonesPublished = 0

    public init() {}

    /// Counts one applied event of `kind`.
    @inline(__always)
    public mutating func countApplied(_ kind: EventKind) {
        appliedByKind[Int(kind.rawValue)] += 1
    }

    /// Adds what `other` counted (the lanes of a processor count apart).
    public mutating func add(_ other: PipelineCounters) {
        messages += other.messages
        for kind in appliedByKind.indices { appliedByKind[kind] += other.appliedByKind[kind] }
        rejected.merge(other.rejected, uniquingKeysWith: +)
        changesPublished += other.changesPublished
        tombstonesPublished += other.tombstonesPublished
    }

    /// Valid events applied, all kinds.
    public var appliedTotal: Int { appliedByKind.reduce(0, +) }
    /// Messages rejected, all reasons.
    public var rejectedTotal: Int { rejected.values.reduce(0, +) }
}
