/// An action configured in ``ModelConfiguration/actionWeights``, by its index in name order
/// (see ``InfluenceState/action(named:)``).
public struct ActionID: Hashable, Sendable {
    /// The index of the action's name among the configured names sorted by their UTF-8 bytes.
    public var rawValue: UInt8

    /// Wraps an index.
    @inlinable
    public init(rawValue: UInt8) { self.rawValue = rawValue }
}
