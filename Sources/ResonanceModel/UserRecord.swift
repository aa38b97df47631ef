/// Per-user fields that are not per network: the chain of network records, classifier flags,
/// and the top engagers (for explanations).
///
/// Laid out without padding (size equals stride, 64 bytes) so its raw bytes are deterministic.
struct UserRecord: BitwiseCopyable, Equatable, TopEngagerList {
    /// Top engagers' landmark-relative contributions, largest first is not guaranteed.
    var topContribution0: Double = 0
    var topContribution1: Double = 0
    var topContribution2: Double = 0
    var topContribution3: Double = 0
    /// Top engagers' handles + 1; 0 for an empty entry.
    var topEngager0: UInt32 = 0
    var topEngager1: UInt32 = 0
    var topEngager2: UInt32 = 0
    var topEngager3: UInt32 = 0
    /// Index + 1 of the user's first network record, 0 when none.
    var firstNetwork: UInt32 = 0
    /// ``UserRecord/trackedBit``, ``UserRecord/erasedBit``, ``UserRecord/standingDueBit``, and
    /// ``ActorFlags`` in bits 8…15.
    var flags: UInt32 = 0
    /// The standing last published for this user (``StandingValue`` encoding; 0: none yet).
    var standing: Float = 0
    /// The epoch that standing was published for.
    var standingEpoch: Int32 = 0

    static let trackedBit: UInt32 = 1
    static let erasedBit: UInt32 = 2
    /// The user changed since the last standings close (and is in ``InfluenceState/standingsDue``).
    static let standingDueBit: UInt32 = 4

    var isTracked: Bool { flags & UserRecord.trackedBit != 0 }
    var actorFlags: ActorFlags { ActorFlags(rawValue: UInt8(truncatingIfNeeded: flags >> 8)) }

    static let engagerCount = 4

    func engager(_ slot: Int) -> (handle: UInt32, contribution: Double) {
        switch slot {
        case 0: return (topEngager0, topContribution0)
        case 1: return (topEngager1, topContribution1)
        case 2: return (topEngager2, topContribution2)
        default: return (topEngager3, topContribution3)
        }
    }

    mutating func setEngager(_ slot: Int, handle: UInt32, contribution: Double) {
        switch slot {
        case 0: topEngager0 = handle; topContribution0 = contribution
        case 1: topEngager1 = handle; topContribution1 = contribution
        case 2: topEngager2 = handle; topContribution2 = contribution
        default: topEngager3 = handle; topContribution3 = contribution
        }
    }
}
