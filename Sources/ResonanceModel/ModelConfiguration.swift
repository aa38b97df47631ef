/// Every constant of the influence model: weights, half-lives, anti-gaming bounds and the
/// calibrated 1–100 scale.
///
/// The defaults are documented in docs/SCORING.md and listed, key for key, in the `[model]`
/// section of config/resonance.toml. Coding keys are snake_case so that the file's keys are the
/// Codable keys. A state can only be restored under the configuration it was built with: compare
/// ``fingerprint`` values.
public struct ModelConfiguration: Codable, Sendable, Equatable {
    /// Half-life, in days, of reactions (the *When* factor): a reaction counts half after this
    /// long, an eighth after three half-lives (30 days gives Klout's 90-day horizon).
    public var halfLifeDays: Double = 30
    /// Half-life, in days, of long-lasting signals: follows and list additions.
    public var longLastingHalfLifeDays: Double = 180
    /// Half-life, in days, of the enduring record: every engagement reaction's weight and every
    /// day with engagement, kept far longer than the 30-day sums so that a user's standing
    /// reflects a career, not the last month (docs/SCORING.md, "Why each piece").
    public var enduringHalfLifeDays: Double = 1825
    /// Weight of the enduring engagement in the raw score (0: the 30-day sums alone).
    public var enduringWeight: Double = 1
    /// Weight of one day with engagement (decayed with the enduring half-life), in weighted
    /// reactions: breadth over time, which a burst cannot buy.
    public var activeDayWeight: Double = 1
    /// Half-life, in days, of the memory of how often one actor reacted to one target, which
    /// drives diminishing returns for repeated reactions.
    public var pairMemoryHalfLifeDays: Double = 30
    /// The *How* factor: weight of each action by name. Names not listed here are unknown
    /// actions (``InfluenceState/action(named:)`` returns nil and the engine dead-letters them).
    public var actionWeights: [String: Double] = [
        "reshare": 1.0, "comment": 0.7, "reply": 0.7, "mention": 0.5, "like": 0.3,
        "follow": 0.6, "list_add": 0.8,
    ]
    /// Actions that are long-lasting signals: they decay with ``longLastingHalfLifeDays``, are not
    /// divided by the number of posts, and from low-standing actors they only feed the capped
    /// long-lasting bonus.
    public var longLastingActions: [String] = ["follow", "list_add"]
    /// The *Where* factor: weight of each network by name.
    public var networkWeights: [String: Double] = ["twitter": 1.0, "facebook": 1.0, "instagram": 1.0, "linkedin": 1.0]
    /// Weight of a network not listed in ``networkWeights``.
    public var defaultNetworkWeight: Double = 1.0
    /// The standing (score) given to an actor that neither this state nor the engine's global
    /// table knows: a fresh account.
    public var unknownActorScore: Double = 1.0
    /// The *Who* factor doubles every this many points of the actor's score:
    /// `who = 2^((score − 1) / who_doubling_points)`, so a 51 counts twice a fresh account.
    public var whoDoublingPoints: Double = 50
    /// The length of a standing epoch, in hours of event time. *Who* reads an actor's standing:
    /// the actor's score at the end of the previous epoch, as every partition published it. A
    /// function of the input alone, so the partition count, the instance count, crashes and
    /// replays cannot change it (docs/DESIGN.md, "Deterministic Who").
    public var whoEpochHours: Double = 24
    /// Multiplier on the Who of an actor flagged spam, bot or inactive.
    public var flaggedActorFactor: Double = 0.01
    /// A reaction from an account younger than this many days (from the `actor_created` the
    /// collector reports) counts in proportion to the account's age: a ring of accounts made for
    /// an attack counts almost nothing, and one must wait this long to count fully. 0 turns it off.
    public var newAccountDays: Double = 30
    /// Actors whose score is below this (or who are flagged) form the low-standing crowd, whose
    /// summed engagement counts logarithmically: `crowd_scale · ln(1 + crowd / crowd_scale)`.
    public var crowdStandingThreshold: Double = 15
    /// The scale of the crowd's logarithm, in weighted reactions: the first few reactions from
    /// the crowd count almost fully, thousands count like a few dozen.
    public var crowdScale: Double = 3
    /// Diminishing returns for repeated reactions from one actor to one target: a reaction counts
    /// `(1 + c)^(−repeat_exponent)` where c is the decayed count of the pair's earlier reactions.
    public var repeatExponent: Double = 3
    /// The *What* factor: engagement is multiplied by
    /// `(posts_reference / (posts_reference + posts))^posts_exponent`, posts decayed like reactions.
    public var postsReference: Double = 10
    /// Exponent of the *What* factor; below 1 so that decay alone never raises a score.
    public var postsExponent: Double = 0.5
    /// The most points that long-lasting signals without engagement (followers, following, lists
    /// from profile events, follows by low-standing actors) can add to a score.
    public var lastingMaxPoints: Double = 0.9
    /// Long-lasting signals reach ``lastingMaxPoints`` at `10^lasting_saturation_decades`.
    public var lastingSaturationDecades: Double = 7
    /// Weight of one account the user follows in the long-lasting signal (followers weigh 1).
    public var followingWeight: Double = 0.01
    /// Weight of one list the user is on in the long-lasting signal (followers weigh 1).
    public var listWeight: Double = 10
    /// The scale's reference raw engagement r0: `score = 100 − 99 · (1 + raw / r0)^(−k)`.
    /// Calibrated on the Twitter15/16 replay (see docs/SCORING.md).
    public var scaleReference: Double = 2.945
    /// The scale's exponent k (calibrated with ``scaleReference``).
    public var scaleExponent: Double = 0.604
    /// How many recent event ids are remembered to drop duplicate deliveries.
    public var dedupeCapacity: Int = 1 << 20
    /// How many recent reactions remember their exact contribution so that an `undo` cancels it.
    public var undoCapacity: Int = 1 << 18
    /// How many actor→target pairs the repeat memory holds (set-associative, evicting the
    /// weakest pair when a bucket is full).
    public var pairMemoryCapacity: Int = 1 << 20
    /// How many distinct topics one partition's state interns; a post's further new topics are
    /// not remembered (its known topics still are).
    public var topicCapacity: Int = 1 << 16
    /// How many recent posts' topics are remembered so that reactions to them credit their
    /// author's topics (set-associative, evicting a bucket's oldest post when full).
    public var contentTopicsCapacity: Int = 1 << 20

    /// The default configuration.
    public init() {}

    /// The standing epoch an event time (epoch milliseconds) falls in: epochs are counted from
    /// 1970-01-01T00:00Z in steps of ``whoEpochHours``.
    @inlinable
    public func standingEpoch(of time: Int64) -> Int64 {
        time.floorDivided(by: Int64(whoEpochHours * 3_600_000))
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case halfLifeDays = "half_life_days"
        case longLastingHalfLifeDays = "long_lasting_half_life_days"
        case enduringHalfLifeDays = "enduring_half_life_days"
        case enduringWeight = "enduring_weight"
        case activeDayWeight = "active_day_weight"
        case pairMemoryHalfLifeDays = "pair_memory_half_life_days"
        case actionWeights = "action_weights"
        case longLastingActions = "long_lasting_actions"
        case networkWeights = "network_weights"
        case defaultNetworkWeight = "default_network_weight"
        case unknownActorScore = "unknown_actor_score"
        case whoDoublingPoints = "who_doubling_points"
        case whoEpochHours = "who_epoch_hours"
        case flaggedActorFactor = "flagged_actor_factor"
        case newAccountDays = "new_account_days"
        case crowdStandingThreshold = "crowd_standing_threshold"
        case crowdScale = "crowd_scale"
        case repeatExponent = "repeat_exponent"
        case postsReference = "posts_reference"
        case postsExponent = "posts_exponent"
        case lastingMaxPoints = "lasting_max_points"
        case lastingSaturationDecades = "lasting_saturation_decades"
        case followingWeight = "following_weight"
        case listWeight = "list_weight"
        case scaleReference = "scale_reference"
        case scaleExponent = "scale_exponent"
        case dedupeCapacity = "dedupe_capacity"
        case undoCapacity = "undo_capacity"
        case pairMemoryCapacity = "pair_memory_capacity"
        case topicCapacity = "topic_capacity"
        case contentTopicsCapacity = "content_topics_capacity"
    }
}
