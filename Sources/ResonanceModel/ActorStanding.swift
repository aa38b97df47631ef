/// What the model needs to know about an actor to weigh a reaction (*Who*): its current score and
/// whether it is flagged spam, bot or inactive.
public struct ActorStanding: Hashable, Sendable {
    /// The actor's current score, 1–100.
    public var score: Double
    /// True when the actor is flagged spam, bot or inactive.
    public var flagged: Bool

    /// An actor's standing.
    @inlinable
    public init(score: Double, flagged: Bool = false) {
        self.score = score
        self.flagged = flagged
    }
}
