/// A way of ranking users from what happened before the cutoff: Resonance's score, or one of the
/// simple baselines it has to beat.
public enum EvaluationMethod: String, Sendable, CaseIterable {
    /// Resonance's score at the cutoff, from the model replaying every event before it.
    case resonance
    /// Reactions received before the cutoff.
    case totalReactions
    /// Distinct users who reacted before the cutoff.
    case distinctReactors
    /// Reactions received in the last day before the cutoff.
    case lastDayReactions
    /// PageRank of the actor→target interaction graph before the cutoff.
    case pageRank
    /// Resonance's score in one topic at the cutoff (`--by-topic`).
    case resonanceTopic
    /// Reactions received before the cutoff to posts about one topic (`--by-topic`).
    case topicReactions

    /// The name used in tables.
    public var title: String {
        switch self {
        case .resonance: "Resonance score"
        case .totalReactions: "Reactions received"
        case .distinctReactors: "Distinct reactors"
        case .lastDayReactions: "Reactions, last day"
        case .pageRank: "PageRank"
        case .resonanceTopic: "Resonance topic score"
        case .topicReactions: "Reactions in the topic"
        }
    }
}
