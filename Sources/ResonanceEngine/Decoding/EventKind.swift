/// The kinds of input event in contract v1.
public enum EventKind: UInt8, Sendable, CaseIterable {
    /// Someone reacted to a user (like, reshare, comment, reply, mention, follow, list_add, …).
    case reaction
    /// A user published content.
    case post
    /// Long-lasting facts about a user from the network or upstream classifiers.
    case profile
    /// Retracts an earlier reaction, named by its `id`.
    case undo
    /// Remove everything about a user.
    case erase

    /// The contract's name for the kind, as it appears in `kind`.
    public var name: String {
        switch self {
        case .reaction: "reaction"
        case .post: "post"
        case .profile: "profile"
        case .undo: "undo"
        case .erase: "erase"
        }
    }
}
