/// What applying one event did, so that the engine can decide what to publish.
public enum ApplyOutcome: Hashable, Sendable {
    /// The user's score inputs changed: publish if the score moved enough.
    case changed(UserHandle)
    /// The event id was seen recently: nothing changed.
    case duplicate
    /// The actor reacted to themself: counted zero, nothing changed.
    case selfReactionIgnored
    /// The undo names a reaction this state does not remember (never seen, or older than the undo
    /// window, or already undone): nothing changed.
    case unmatchedUndo
    /// The user and every trace of them were removed: publish a tombstone.
    case erased(UserHandle)
    /// The event names a handle this state never issued or has erased: nothing changed.
    case unknownUser
}
