import ResonanceModel

/// The scoring pipeline without Kafka: contract-v1 events from a JSON-lines file (or standard
/// input) in, score changes as JSON lines out. The way to try Resonance, debug a feed, or pipe it.
///
/// Every event lands in one partition state (partition 0), which reads actors' standings from its
/// own published ones, as of the last epoch it closed (what `resonance run` reads from the
/// standings topic). The run is deterministic: the same file gives the same final scores. Which
/// intermediate changes are published depends on the wall-clock interval, as in the live
/// processor; all pending changes are published at the end.
public final class FileScorer {
    /// Where bad lines go.
    public enum DeadLetters {
        /// Report the first few on standard error, count the rest.
        case standardError
        /// Write every one as a JSON line: line number, reason, detail and the original text.
        case file(ByteOutput)
    }

    /// The partition state all events go to.
    public private(set) var processor: PartitionProcessor
    /// What the run has done so far.
    public private(set) var counters = PipelineCounters()

    private let limits: DecoderLimits
    private let clock: WallClock
    private let deadLetters: DeadLetters
    private var reportedOnStandardError = 0
    private var json = JSONWriter(reservingCapacity: 512)

    /// Creates a scorer with the given model configuration and publishing rules.
    public init(
        configuration: ModelConfiguration,
        publishing: PublishingOptions = PublishingOptions(),
        timePolicy: EventTimePolicy = EventTimePolicy(),
        limits: DecoderLimits = DecoderLimits(),
        deadLetters: DeadLetters = .standardError,
        clock: WallClock = .system
    ) throws(ModelError) {
        processor = try PartitionProcessor(partition: 0, configuration: configuration, publishing: publishing, timePolicy: timePolicy)
        self.limits = limits
        self.clock = clock
        self.deadLetters = deadLetters
    }

    /// Scores every line of `input`, writing changes to `output`, then publishes what is pending.
    ///
    /// Lines are read and decoded on a second thread (``FileDecodeStage``) and applied here in
    /// input order, so the results are those of decoding and applying one line at a time.
    public func run(input: LineReader, output: ByteOutput) throws {
        let stage = FileDecodeStage(reader: input, limits: limits)
        stage.start()
        defer { stage.stop() }
        var writeError: (any Error)?
        let emit: (ScoreChange) -> Void = { [self] change in
            do { try write(change, to: output) } catch { writeError = error }
        }
        try apply(from: stage, to: &processor, emit: emit) { writeError }
        if let failure = stage.failure { throw failure }
        processor.tick(wallClock: clock.now(), emit: emit)
        processor.flushPending(emit: emit)
        if let writeError { throw writeError }
        try output.flush()
        if case .file(let file) = deadLetters { try file.flush() }
    }

    /// The loop of ``run(input:output:)``, with the partition passed in place: reached through
    /// the class's stored property on every event, each call retained the scorer and went through
    /// a dynamic exclusivity check, and on this path an atomic retain waits for every pending store
    /// (about 4% of the processing thread in `perf`).
    private func apply(
        from stage: FileDecodeStage, to processor: inout PartitionProcessor,
        emit: (ScoreChange) -> Void, writeError: () -> (any Error)?
    ) throws {
        var wallClock = clock.now()
        var sinceTick = 0
        // What reading ahead needs of each entry of the batch in hand (InfluenceState+ReadAhead).
        // A buffer, not an array: with an array, the call had to go through
        // `withUnsafeMutableBufferPointer`'s closure, and the processor (captured inout) was
        // copied into it and destroyed again on every event.
        var storage = UnsafeMutableBufferPointer<InfluenceState.EventPreview>.allocate(capacity: 0)
        defer { storage.deallocate() }
        while let batch = stage.decoded.take() {
            if storage.count < batch.entries.count {
                storage.deallocate()
                storage = .allocate(capacity: batch.entries.count)
            }
            let previews = UnsafeMutableBufferPointer(rebasing: storage[0..<batch.entries.count])
            for (index, entry) in batch.entries.enumerated() {
                if case .event(let event) = entry.outcome {
                    previews.initializeElement(at: index, to: event.preview)
                } else {
                    previews.initializeElement(at: index, to: .none)
                }
            }
            for index in batch.entries.indices {
                processor.readAhead(previews, before: index)
                counters.messages += 1
                switch batch.entries[index].outcome {
                case .event(let event):
                    if let rejection = processor.apply(event, wallClock: wallClock, emit: emit) {
                        try reject(batch.line(batch.entries[index]), number: batch.entries[index].number, rejection)
                    } else {
                        counters.countApplied(event.kind)
                    }
                case .rejected(let rejection):
                    try reject(batch.line(batch.entries[index]), number: batch.entries[index].number, rejection)
                }
                if let error = writeError() { throw error }
                sinceTick += 1
                if sinceTick == 4096 {
                    sinceTick = 0
                    wallClock = clock.now()
                    processor.tick(wallClock: wallClock, emit: emit)
                }
            }
            stage.recycle(batch)
        }
    }

    private func write(_ change: ScoreChange, to output: ByteOutput) throws {
        counters.changesPublished += 1
        if change.encodedValue(into: &json) {
            try output.writeLine(json.bytes)
        } else {
            // A tombstone has no value; in a file it is the user and a null score.
            counters.tombstonesPublished += 1
            json.reset()
            json.beginObject()
            json.key("v"); json.integer(1)
            json.key("user"); json.string(utf8: change.user)
            json.key("tombstone"); json.boolean(true)
            json.key("time"); json.integer(change.time)
            json.key("version"); json.integer(change.version)
            json.endObject()
            try output.writeLine(json.bytes)
        }
    }

    private func reject(_ line: UnsafeRawBufferPointer, number: Int, _ rejection: EventRejection) throws {
        counters.rejected[rejection.reason, default: 0] += 1
        switch deadLetters {
        case .standardError:
            reportedOnStandardError += 1
            if reportedOnStandardError <= 10 {
                StandardError.write("resonance: line \(number) rejected: \(rejection)\n")
            } else if reportedOnStandardError == 11 {
                StandardError.write("resonance: more lines rejected; the summary counts them (use --dead-letter FILE to keep them all)\n")
            }
        case .file(let file):
            var record = JSONWriter()
            record.beginObject()
            record.key("line"); record.integer(Int64(number))
            record.key("reason"); record.string(rejection.reason.rawValue)
            record.key("detail"); record.string(rejection.detail)
            // The original bytes, as text where they are UTF-8, else hex so nothing is lost.
            if let text = String(validatingUTF8Bytes: line) {
                record.key("value"); record.string(text)
            } else {
                record.key("value_hex"); record.string(line.map { String($0, radix: 16).leftPadded(to: 2) }.joined())
            }
            record.endObject()
            try file.writeLine(record.bytes)
        }
    }
}

extension String {
    fileprivate init?(validatingUTF8Bytes bytes: UnsafeRawBufferPointer) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        self = text
    }

    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
