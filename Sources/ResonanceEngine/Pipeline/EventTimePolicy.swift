/// Which event times are believable. Decay runs on event time, so one event stamped in the year
/// 9999 would otherwise age every score in its partition to nothing.
public struct EventTimePolicy: Sendable, Equatable {
    /// Events before this instant are rejected (epoch milliseconds; default 2000-01-01).
    public var earliest: Int64 = 946_684_800_000
    /// Events further ahead of the processor's wall clock than this are rejected. Replays of past
    /// data are unaffected; a collector with a wrong clock is caught.
    public var maxAheadOfWallClock: Duration = .seconds(3600)

    public init() {}

    /// Why `time` is rejected, or `nil` when it is believable.
    func rejection(of time: Int64, wallClock: Int64) -> EventRejection? {
        if time < earliest {
            return EventRejection(.timeOutOfBounds, "time \(time) is before \(earliest) (2000-01-01 by default); times are epoch milliseconds")
        }
        let ahead = maxAheadOfWallClock.components.seconds * 1000
        if time > wallClock + ahead {
            return EventRejection(.timeOutOfBounds, "time \(time) is \((time - wallClock) / 1000) s ahead of this processor's clock; the limit is \(ahead / 1000) s")
        }
        return nil
    }
}
