/// Decodes contract-v1 events from the UTF-8 JSON bytes of a message, in one pass, without
/// allocating: keys are compared as bytes, strings are returned as views of the input (or of this
/// decoder's scratch space when they contained escapes), numbers are parsed in place.
///
/// Foundation's `JSONDecoder` manages about 80,000 events/s on this hardware, far from the
/// million per second the pipeline needs, which is why this is hand-written. It validates as it
/// goes: well-formed JSON, valid UTF-8, the contract's field types and required fields, and that
/// the Kafka key names the user the event is about. Unknown fields are skipped so producers can
/// add fields without breaking older consumers.
///
/// Not thread-safe: use one decoder per thread.
public final class EventDecoder {
    /// The limits in force.
    public let limits: DecoderLimits
    private let scratch: UnsafeMutableRawPointer
    private let scratchCapacity: Int

    /// Creates a decoder that accepts messages within `limits`.
    public init(limits: DecoderLimits = DecoderLimits()) {
        self.limits = limits
        // Unescaping never grows a string, so the scratch space never needs more than a message.
        scratchCapacity = max(limits.maxMessageBytes, 16)
        scratch = UnsafeMutableRawPointer.allocate(byteCount: scratchCapacity, alignment: 16)
    }

    deinit {
        scratch.deallocate()
    }

    /// Decodes one message.
    ///
    /// - Parameters:
    ///   - bytes: the message value.
    ///   - key: the Kafka key, which must equal the event's subject; `nil` skips that check (input
    ///     read from a file has no key).
    /// - Returns: the event, whose byte views stay valid until the next call and while `bytes` lives.
    /// - Throws: ``EventRejection`` saying what is wrong.
    public func decode(
        _ bytes: UnsafeRawBufferPointer,
        key: UnsafeRawBufferPointer?
    ) throws(EventRejection) -> DecodedEvent {
        try decode(bytes, key: key, scratch: scratch)
    }

    /// Decodes one message, unescaping strings into `scratch` (at least `bytes.count` bytes)
    /// instead of this decoder's own scratch space, so that the event stays valid after the next
    /// call for as long as `bytes` and `scratch` do (a batch decoded on one thread and applied on
    /// another).
    func decode(
        _ bytes: UnsafeRawBufferPointer,
        key: UnsafeRawBufferPointer?,
        scratch: UnsafeMutableRawPointer
    ) throws(EventRejection) -> DecodedEvent {
        guard bytes.count <= limits.maxMessageBytes else {
            throw EventRejection(.oversized, "message is \(bytes.count) bytes; the limit is \(limits.maxMessageBytes)")
        }
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw EventRejection(.malformedJSON, "empty message (a null value is not an event)")
        }
        var parser = JSONEventParser(
            bytes: base.assumingMemoryBound(to: UInt8.self),
            count: bytes.count,
            scratch: scratch.assumingMemoryBound(to: UInt8.self),
            limits: limits
        )
        var event = try parser.parseEvent()
        if let key {
            let subject = event.subject
            guard key.count > 0 else {
                throw EventRejection(.keyMismatch, "message has no key; the key must be the \(event.kind.name)'s subject user id")
            }
            guard key.equalBytes(subject) else {
                throw EventRejection(
                    .keyMismatch,
                    "key '\(String(decoding: key, as: UTF8.self))' is not the \(event.kind.name)'s subject '\(String(decoding: subject, as: UTF8.self))'"
                )
            }
        }
        event.computeHashes()
        return event
    }
}
