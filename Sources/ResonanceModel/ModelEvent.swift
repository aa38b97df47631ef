/// A decoded input event, with user ids already interned into handles and ids hashed with
/// ``StableHash``. The engine builds these from the JSON event contract.
public enum ModelEvent: Sendable, Equatable {
    /// Someone reacted to a user (like, reshare, comment, …).
    case reaction(Reaction)
    /// A user posted content.
    case post(Post)
    /// A user's long-lasting profile signals and classifier flags changed.
    case profile(Profile)
    /// A reaction was retracted.
    case undo(Undo)
    /// A user asked to be forgotten: every trace of them is removed from this state.
    case erase(Erase)

    /// The event's own id hash (for duplicate detection).
    @inlinable
    public var idHash: UInt64 {
        switch self {
        case .reaction(let event): return event.idHash
        case .post(let event): return event.idHash
        case .profile(let event): return event.idHash
        case .undo(let event): return event.idHash
        case .erase(let event): return event.idHash
        }
    }

    /// The event time, epoch milliseconds.
    @inlinable
    public var time: Int64 {
        switch self {
        case .reaction(let event): return event.time
        case .post(let event): return event.time
        case .profile(let event): return event.time
        case .undo(let event): return event.time
        case .erase(let event): return event.time
        }
    }
}
