/// Collects the population the scale is calibrated on while events are replayed: for every user
/// who received a reaction, their raw engagement right after the last reaction they received.
///
/// Sampling at each user's last reaction, not at the end of the replay, measures users as they
/// stand while active: a data set spanning years would otherwise be scored years after most of its
/// cascades, when decay has taken nearly everything.
public struct CalibrationSample: Sendable {
    /// Raw engagement per handle; NaN for users who never received a reaction.
    private var rawByHandle: [Double] = []

    /// An empty sample.
    public init() {}

    /// Records the target's raw engagement when `outcome` says a reaction changed it.
    public mutating func observe(_ event: ModelEvent, outcome: ApplyOutcome, in state: InfluenceState) {
        switch (event, outcome) {
        case (.reaction(let reaction), .changed(let user)) where user == reaction.target:
            let index = Int(user.rawValue)
            if index >= rawByHandle.count {
                rawByHandle.append(contentsOf: repeatElement(.nan, count: index + 1 - rawByHandle.count))
            }
            rawByHandle[index] = state.rawEngagement(of: user)
        case (_, .erased(let user)):
            if Int(user.rawValue) < rawByHandle.count { rawByHandle[Int(user.rawValue)] = .nan }
        default:
            break
        }
    }

    /// The sampled raw engagement values, in handle order.
    public var raws: [Double] { rawByHandle.filter { !$0.isNaN } }
}
