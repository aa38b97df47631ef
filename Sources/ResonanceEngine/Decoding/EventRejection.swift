/// Why a message was rejected, with a detail for the dead-letter header and the log.
public struct EventRejection: Error, Sendable, CustomStringConvertible {
    /// The reason, one of a fixed set (it labels metrics and the dead-letter header).
    public var reason: RejectionReason
    /// What exactly was wrong, e.g. "missing field 'actor'".
    public var detail: String

    public init(_ reason: RejectionReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}
