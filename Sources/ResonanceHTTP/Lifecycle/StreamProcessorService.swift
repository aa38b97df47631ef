import Logging
import ResonanceEngine
import ServiceLifecycle

/// A ``StreamProcessor`` as a `Service`: ``run()`` runs the blocking pipeline on a thread of its
/// own and returns when it has finished; graceful shutdown (SIGTERM, SIGINT) or cancellation
/// raises its ``StopSignal``, after which the processor finishes the batch in flight, publishes
/// what is pending, flushes the producer, commits and leaves the group.
public final class StreamProcessorService: Service, Sendable {
    /// The processor run.
    public let processor: StreamProcessor
    private let view: PipelineView?
    private let logger: Logger
    private let cancellationGrace: Duration

    /// A service for `processor`; `view`, when given, is told when shutdown starts and ends.
    /// Once cancelled, the service waits at most `cancellationGrace` for the pipeline to return.
    public init(processor: StreamProcessor, view: PipelineView?, logger: Logger, cancellationGrace: Duration = .seconds(30)) {
        self.processor = processor
        self.view = view
        self.logger = logger
        self.cancellationGrace = cancellationGrace
    }

    /// Runs the pipeline until it ends or is asked to stop.
    public func run() async throws {
        let stop = StopSignal()
        let processor = processor
        let view = view
        let logger = logger
        let cancellationGrace = cancellationGrace
        defer { view?.enter(.stopped) }
        // Cancelled (graceful shutdown took longer than allowed, or another service failed): the
        // pipeline gets `cancellationGrace` more to publish and flush before the run ends anyway.
        try await DedicatedThread.run(
            name: "resonance.pipeline", stop: stop, cancellationGrace: cancellationGrace,
            onStopRequested: {
                view?.enter(.stopping)
                logger.notice("shutdown: finishing the batch in flight, publishing and leaving the group")
            },
            { try processor.run(stop: stop) })
    }
}
