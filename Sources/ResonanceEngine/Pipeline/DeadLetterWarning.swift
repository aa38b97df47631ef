import Logging

/// Logs dead-lettered input at most once per period, with counts by reason, so a poisoned feed
/// neither floods the log nor goes unnoticed.
struct DeadLetterWarning {
    private let period: Int64
    private var windowStart: Int64 = .min
    private var counts: [RejectionReason: Int] = [:]
    private var firstDetail: String?

    init(periodMilliseconds: Int64 = 10_000) {
        period = periodMilliseconds
    }

    mutating func record(_ rejection: EventRejection, source: String, wallClock: Int64, logger: Logger) {
        counts[rejection.reason, default: 0] += 1
        if firstDetail == nil { firstDetail = "\(source): \(rejection)" }
        if windowStart == .min { windowStart = wallClock - period }
        flushIfDue(wallClock: wallClock, logger: logger)
    }

    mutating func flushIfDue(wallClock: Int64, logger: Logger) {
        guard !counts.isEmpty, wallClock - windowStart >= period else { return }
        let summary = counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " ")
        logger.warning("dead-lettered \(counts.values.reduce(0, +)) messages (\(summary)); first: \(firstDetail ?? "")")
        counts.removeAll(keepingCapacity: true)
        firstDetail = nil
        windowStart = wallClock
    }
}
