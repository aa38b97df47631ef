/// One counted reaction, reduced to what the baselines and the outcomes need: who reacted to whom,
/// and when. Users are indices into ``EventLog/userIDs``.
public struct Interaction: Sendable, Equatable {
    /// When it happened, epoch milliseconds.
    public var time: Int64
    /// Who reacted.
    public var actor: Int32
    /// Who was reacted to.
    public var target: Int32

    /// An interaction.
    public init(time: Int64, actor: Int32, target: Int32) {
        self.time = time
        self.actor = actor
        self.target = target
    }
}
