/// A network interned in one ``InfluenceState`` (see ``InfluenceState/internNetwork(named:)``).
public struct NetworkID: Hashable, Sendable {
    /// The dense index, in order of first appearance.
    public var rawValue: UInt16

    /// Wraps a dense index.
    @inlinable
    public init(rawValue: UInt16) { self.rawValue = rawValue }
}
