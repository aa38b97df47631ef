import ResonanceEngine

/// Decodes v1 event JSON the way the pipeline does, for feeding a PartitionProcessor in tests.
final class EventFeeder {
    let decoder = EventDecoder()
    var processor: PartitionProcessor
    var published: [ScoreChange] = []
    var rejections: [EventRejection] = []

    init(processor: PartitionProcessor) {
        self.processor = processor
    }

    /// Applies one encoded event at `wallClock`; records what is published or rejected.
    func apply(_ event: EncodedEvent, wallClock: Int64) {
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

    func tick(wallClock: Int64) {
        processor.tick(wallClock: wallClock) { published.append($0) }
    }

    func flush() {
        processor.flushPending { published.append($0) }
    }

    func changes(for user: String) -> [ScoreChange] {
        published.filter { $0.user == Array(user.utf8) }
    }
}
