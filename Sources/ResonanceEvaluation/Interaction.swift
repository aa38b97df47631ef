/// One counted reaction, reduced to what the baselines and the outcomes need: who reacted to whom,
/// and when. Users are indices into ``EventLog/userIDs``.
public struct Interaction: Sendable, Equatable {
    /// When it happened, epoch milliseconds.
    public var time: Int64
    /// Who reacted.
    public var actor: Int32
    /// Who was reacted to.
    public var target: Int32
    /// Injected by an attack (``AttackPlan``): counted by the baselines before a cutoff, never
    /// part of an outcome, since the attacked user's real future is what the rankings must predict.
    public var injected: Bool
    /// The topics of the post reacted to: an index into ``EventLog/topicSets``, −1 for none.
    public var topicSet: Int32

    /// An interaction.
    public init(time: Int64, actor: Int32, target: Int32, injected: Bool = false, topicSet: Int32 = -1) {
        self.time = time
        self.actor = actor
        self.target = target
        self.injected = injected
        self.topicSet = topicSet
    }
}
