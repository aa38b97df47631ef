/// Which of a network record's sums a reaction feeds.
enum Pool: UInt16 {
    /// Reactions from established actors: counted linearly.
    case established = 0
    /// Reactions from low-standing or flagged actors: counted logarithmically.
    case crowd = 1
    /// Long-lasting signals from established actors: slow decay, counted linearly.
    case lastingEstablished = 2
    /// Long-lasting signals from the crowd: slow decay, only feed the capped lasting bonus.
    case lastingCrowd = 3

    @inline(__always)
    var isLasting: Bool { self == .lastingEstablished || self == .lastingCrowd }
}
