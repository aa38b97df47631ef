/// One user's decayed sums on one network. Sums are forward-decayed: stored multiplied by
/// `2^((t − landmark) / half-life)` at insertion, read multiplied by `2^(−(now − landmark) / half-life)`.
///
/// Laid out without padding (10 doubles, 4 + 1 32-bit words, 2 16-bit words: 104 bytes, size equals
/// stride) so that its raw bytes, which snapshots contain, are fully determined by its values.
struct NetworkRecord: BitwiseCopyable, Equatable {
    /// Weighted reactions from established actors (*Who* · *How* · repeat factor).
    var established: Double = 0
    /// Weighted reactions from low-standing or flagged actors: counted logarithmically.
    var crowd: Double = 0
    /// Weighted long-lasting signals (follows, list additions) from established actors, slow decay.
    var lastingEstablished: Double = 0
    /// Long-lasting signals from the crowd, slow decay: only feed the capped lasting bonus.
    var lastingCrowd: Double = 0
    /// Distinct engaged actors (a returning actor counts again only as its pair memory decays).
    var reach: Double = 0
    /// Reactions received, unweighted.
    var reactions: Double = 0
    /// Sum of the engagers' scores, one per reaction (mean = Network Impact).
    var engagerScores: Double = 0
    /// Posts made.
    var posts: Double = 0
    /// Every engagement reaction's weight (established and crowd alike), with the enduring
    /// half-life: the user's record of being listened to.
    var enduring: Double = 0
    /// Distinct days (UTC) with an engagement reaction at full weight, with the enduring half-life.
    var activeDays: Double = 0
    /// Followers, from the latest profile event.
    var followers: UInt32 = 0
    /// Accounts followed, from the latest profile event.
    var following: UInt32 = 0
    /// Lists the user is on, from the latest profile event.
    var lists: UInt32 = 0
    /// Index + 1 of the user's next network record, 0 at the end of the chain.
    var next: UInt32 = 0
    /// The network.
    var network: UInt16 = 0
    /// Reserved, always 0 (keeps the layout free of padding).
    var reserved: UInt16 = 0
    /// The last day counted in ``activeDays``, as days since 1970-01-01 plus one (0: none).
    var lastActiveDay: UInt32 = 0
}
