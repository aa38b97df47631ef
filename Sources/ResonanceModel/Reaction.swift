/// `actor` reacted to `target` with `action` on `network` at `time`.
public struct Reaction: Sendable, Equatable {
    /// ``StableHash`` of the event id.
    public var idHash: UInt64
    /// When it happened, epoch milliseconds.
    public var time: Int64
    /// Where it happened.
    public var network: NetworkID
    /// What kind of reaction (its *How* weight comes from the configuration).
    public var action: ActionID
    /// Who reacted.
    public var actor: UserHandle
    /// Who was reacted to: the user whose score changes.
    public var target: UserHandle
    /// ``StableHash`` of the content reacted to, when known.
    public var contentHash: UInt64?
    /// When the actor's account was created (epoch milliseconds, at most ``time``), as the
    /// collector's platform reports it; nil when unknown. A young account's reaction counts in
    /// proportion to its age (``ModelConfiguration/newAccountDays``).
    public var actorCreated: Int64?

    /// A reaction.
    @inlinable
    public init(
        idHash: UInt64, time: Int64, network: NetworkID, action: ActionID,
        actor: UserHandle, target: UserHandle, contentHash: UInt64? = nil, actorCreated: Int64? = nil
    ) {
        self.idHash = idHash
        self.time = time
        self.network = network
        self.action = action
        self.actor = actor
        self.target = target
        self.contentHash = contentHash
        self.actorCreated = actorCreated
    }
}
