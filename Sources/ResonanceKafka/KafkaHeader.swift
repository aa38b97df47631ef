/// One message header to produce: a name and optional bytes.
public struct KafkaHeader: Hashable, Sendable {
    /// The header name.
    public var name: String
    /// The header bytes; `nil` is a null header, distinct from an empty one.
    public var value: [UInt8]?

    /// Header `name` with `value`.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }
}
