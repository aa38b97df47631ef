#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The 1–100 scale: `score = 100 − 99 · (1 + raw / reference)^(−exponent)`.
///
/// Monotonic (more raw engagement, higher score), 1 at no engagement, never reaching 100. It is
/// linear for raw ≪ reference and log-like above: every doubling of raw engagement closes the
/// same fraction of the remaining gap to 100, so a lift from 50 to 70 becomes a lift of a few
/// points at 92.
public struct ScoreScale: Hashable, Sendable {
    /// The raw engagement r0 at which the curve bends from linear to log-like.
    public var reference: Double
    /// The exponent k: how fast the remaining gap to 100 closes per doubling of raw engagement.
    public var exponent: Double

    /// A scale.
    public init(reference: Double, exponent: Double) {
        self.reference = reference
        self.exponent = exponent
    }

    /// The scale of a configuration.
    public init(_ configuration: ModelConfiguration) {
        self.init(reference: configuration.scaleReference, exponent: configuration.scaleExponent)
    }

    /// The score, 1–100, of a raw engagement value.
    @inlinable
    public func score(raw: Double) -> Double {
        if !(raw > 0) { return 1 }
        return 100 - 99 * pow(1 + raw / reference, -exponent)
    }

    /// The raw engagement whose score is `score` (the inverse of ``score(raw:)``).
    public func raw(score: Double) -> Double {
        if score <= 1 { return 0 }
        if score >= 100 { return .infinity }
        return reference * (pow((100 - score) / 99, -1 / exponent) - 1)
    }
}
