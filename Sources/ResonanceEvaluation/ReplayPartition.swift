import ResonanceEngine
import ResonanceModel

/// The one partition a replay of an ``EventLog`` runs through (`resonance evaluate`, `resonance
/// calibrate`): each event decoded by ``EventDecoder`` and applied by a ``PartitionProcessor``,
/// exactly as `resonance run --input` does, with every actor local.
struct ReplayPartition {
    private(set) var processor: PartitionProcessor
    private let decoder = EventDecoder()
    /// The processor's wall clock (only its bound on future event times reads it).
    private let wallClock: Int64

    init(configuration: ModelConfiguration, wallClock: Int64) throws(EvaluationError) {
        do {
            processor = try PartitionProcessor(partition: 0, configuration: configuration)
        } catch {
            throw EvaluationError("the model configuration is not valid: \(error)")
        }
        self.wallClock = wallClock
    }

    /// The state replayed so far.
    var state: InfluenceState { processor.state }

    /// Decodes and applies `event`, then shows it to `applied` (the decoded fields are valid only
    /// there). False when the decoder or the processor rejected it.
    mutating func apply(_ event: EncodedEvent, applied: (DecodedEvent, PartitionProcessor) -> Void = { _, _ in }) -> Bool {
        event.value.withUnsafeBytes { bytes in
            guard let decoded = try? decoder.decode(bytes, key: nil),
                processor.apply(decoded, wallClock: wallClock, emit: { _ in }) == nil
            else { return false }
            applied(decoded, processor)
            return true
        }
    }
}
