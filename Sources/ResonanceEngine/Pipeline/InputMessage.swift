import ResonanceKafka

/// An input message as the processing loop needs it: straight from a poll, or held back while
/// its partition waits for other partitions to close an epoch.
protocol InputMessage {
    var partition: Int32 { get }
    var offset: Int64 { get }
    /// The topic name (may allocate).
    var topic: String { get }
    var key: UnsafeRawBufferPointer? { get }
    var value: UnsafeRawBufferPointer? { get }
    /// Copies of all headers (for dead letters).
    var headers: [KafkaHeader] { get }
}

extension KafkaMessage: InputMessage {}

/// A copy of a polled message that outlives its batch: its partition is waiting for the other
/// partitions to close an epoch (docs/DESIGN.md, "Deterministic Who"), so it is applied later,
/// in offset order, after the messages held before it.
final class HeldMessage: InputMessage {
    let partition: Int32
    let offset: Int64
    let topic: String
    let headers: [KafkaHeader]
    let key: UnsafeRawBufferPointer?
    let value: UnsafeRawBufferPointer?

    init(copying message: KafkaMessage, topic: String) {
        partition = message.partition
        offset = message.offset
        self.topic = topic
        headers = message.headers
        key = message.key.map(Self.copy)
        value = message.value.map(Self.copy)
    }

    deinit {
        key?.deallocate()
        value?.deallocate()
    }

    private static func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
        copy.copyMemory(from: bytes)
        return UnsafeRawBufferPointer(rebasing: copy[..<bytes.count])
    }
}
