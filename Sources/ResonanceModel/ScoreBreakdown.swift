/// The intermediate quantities of one user's score at one time (all decayed to that time), from
/// which scores, score cards and explanations are built.
struct ScoreBreakdown {
    /// Per network, in chain order.
    struct Network {
        var network: UInt16
        var weight: Double
        var established: Double
        var crowd: Double
        var crowdEffective: Double
        var lastingEstablished: Double
        var lastingCrowd: Double
        var enduring: Double
        var activeDays: Double
        var posts: Double
        var what: Double
        var reach: Double
        var reactions: Double
        var engagerScores: Double
        var lastingSignal: Double
        var raw: Double
    }

    var networks: [Network] = []
    var raw = 0.0
    var lastingSignal = 0.0
}
