/// When score changes are published.
public struct PublishingOptions: Sendable, Equatable {
    /// A change is published when the score has moved at least this much since the value last
    /// published for the user (decay included).
    public var step: Double = 0.1
    /// At most one change per user per interval, so that a viral burst does not flood subscribers;
    /// the latest value is published when the interval ends. Measured on the wall clock.
    public var minimumInterval: Duration = .seconds(1)

    public init() {}
}
