/// A contract-v1 event ready to produce: its Kafka key and its JSON value.
public struct EncodedEvent: Sendable, Equatable {
    /// The user the event is about (the Kafka key).
    public var key: [UInt8]
    /// The event as UTF-8 JSON.
    public var value: [UInt8]
    /// Its event time, epoch milliseconds (for ordering a replay by time).
    public var time: Int64

    public init(key: [UInt8], value: [UInt8], time: Int64) {
        self.key = key
        self.value = value
        self.time = time
    }
}
