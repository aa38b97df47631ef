import ResonanceEngine

/// Decodes v1 event JSON the way the pipeline does, for feeding a PartitionProcessor in tests.
public final class EventFeeder {
    public let decoder = EventDecoder()
    public var processor: PartitionProcessor
    public var published: [ScoreChange] = []
    public var rejections: [EventRejection] = []

    public init(processor: PartitionProcessor) {
        self.processor = processor
    }

    /// Applies one encoded event at `wallClock`; records what is published or rejected.
    public func apply(_ event: EncodedEvent, wallClock: Int64) {
        event.value.withUnsafeBytes { bytes in
            event.key.withUnsafeBytes { key in
                do {
                    let decoded = try decoder.decode(bytes, key: key)
                    if let rejection = processor.apply(decoded, wallClock: wallClock, emit: { published.append($0) }) {
                        rejections.append(rejection)
                    }
                } catch {
                    rejections.append(error as! EventRejection)
                }
            }
        }
    }

    public func tick(wallClock: Int64) {
        processor.tick(wallClock: wallClock) { published.append($0) }
    }

    public func flush() {
        processor.flushPending { published.append($0) }
    }

    public func changes(for user: String) -> [ScoreChange] {
        published.filter { $0.user == Array(user.utf8) }
    }
}
