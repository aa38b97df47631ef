/// A user's engagement in one topic: the same terms as a network record's engagement (the
/// *Where* weight applied as it is credited), and the topic's top two engagers.
///
/// Every user with topics owns a block of ``InfluenceState/topicsPerUser`` consecutive slots.
/// Laid out without padding (72 bytes) so its raw bytes are deterministic.
struct TopicSlot: BitwiseCopyable, Equatable, TopEngagerList {
    /// The topic's id + 1; 0 for an empty slot.
    var topic: UInt32 = 0
    /// Top engagers' handles + 1; 0 for an empty entry.
    var engager0: UInt32 = 0
    var engager1: UInt32 = 0
    /// The last day with engagement counted in this topic (``NetworkRecord/lastActiveDay``'s encoding).
    var lastActiveDay: UInt32 = 0
    /// Landmark-relative engagement from established actors (fast half-life).
    var established: Double = 0
    /// Landmark-relative engagement from the low-standing crowd (fast half-life).
    var crowd: Double = 0
    /// Landmark-relative enduring engagement (enduring half-life).
    var enduring: Double = 0
    /// Landmark-relative days with engagement in the topic (enduring half-life).
    var activeDays: Double = 0
    /// Landmark-relative posts in the topic (fast half-life): the topic's *What* factor.
    var posts: Double = 0
    /// Top engagers' landmark-relative contributions.
    var contribution0: Double = 0
    var contribution1: Double = 0

    /// What eviction compares: the slot's landmark-relative 30-day engagement.
    var strength: Double { established + crowd }

    static let engagerCount = 2

    func engager(_ index: Int) -> (handle: UInt32, contribution: Double) {
        switch index {
        case 0: return (engager0, contribution0)
        default: return (engager1, contribution1)
        }
    }

    mutating func setEngager(_ index: Int, handle: UInt32, contribution: Double) {
        switch index {
        case 0: engager0 = handle; contribution0 = contribution
        default: engager1 = handle; contribution1 = contribution
        }
    }

    /// Multiplies every landmark-relative sum (a landmark rebase).
    mutating func rescale(fast: Double, enduring factor: Double) {
        established *= fast
        crowd *= fast
        posts *= fast
        contribution0 *= fast
        contribution1 *= fast
        enduring *= factor
        activeDays *= factor
    }
}
