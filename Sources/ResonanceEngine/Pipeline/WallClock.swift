import Foundation

/// The processor's clock, injected so tests can drive time. It only decides when to publish and
/// which event times are believable; scores run on event time.
public struct WallClock: Sendable {
    /// Now, epoch milliseconds.
    public var now: @Sendable () -> Int64

    public init(now: @escaping @Sendable () -> Int64) {
        self.now = now
    }

    /// The system clock.
    public static let system = WallClock { Int64(Date().timeIntervalSince1970 * 1000) }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// Whole milliseconds, rounded toward zero: wall-clock arithmetic is in epoch milliseconds.
    var inMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
