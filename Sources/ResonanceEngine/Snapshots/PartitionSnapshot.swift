import ResonanceModel

/// One partition's durable state at a point in its input: what a snapshot file holds.
///
/// Restoring it and reading the input from ``nextOffsets`` gives exactly the state an
/// uninterrupted run would hold (DESIGN.md, invariant 3: offsets follow durable state).
public struct PartitionSnapshot: Sendable {
    /// The input partition number.
    public var partition: Int32
    /// Events the partition state has applied (the version of its next change).
    public var sequence: Int64
    /// The next offset to read in each input topic's partition of this number.
    public var nextOffsets: [String: Int64]
    /// The model state.
    public var state: InfluenceState
    /// The score last published per user handle.
    public var lastPublished: [Float]

    public init(partition: Int32, sequence: Int64, nextOffsets: [String: Int64], state: InfluenceState, lastPublished: [Float]) {
        self.partition = partition
        self.sequence = sequence
        self.nextOffsets = nextOffsets
        self.state = state
        self.lastPublished = lastPublished
    }
}
