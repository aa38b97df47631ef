/// A retraction of an earlier reaction: the reaction's fields plus the hash of its id.
public struct Undo: Sendable, Equatable {
    /// ``StableHash`` of the undo event's own id.
    public var idHash: UInt64
    /// When the reaction was retracted, epoch milliseconds.
    public var time: Int64
    /// ``StableHash`` of the retracted reaction's id (the contract's `undoes`).
    public var undoesHash: UInt64
    /// The retracted reaction's actor.
    public var actor: UserHandle
    /// The retracted reaction's target.
    public var target: UserHandle

    /// An undo.
    @inlinable
    public init(idHash: UInt64, time: Int64, undoesHash: UInt64, actor: UserHandle, target: UserHandle) {
        self.idHash = idHash
        self.time = time
        self.undoesHash = undoesHash
        self.actor = actor
        self.target = target
    }
}
