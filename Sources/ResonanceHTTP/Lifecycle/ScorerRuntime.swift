import Hummingbird
import Logging
import ResonanceEngine
import ServiceLifecycle
import UnixSignals

/// A whole scorer instance: the stream processor, the reader of the scores topic (which fills the
/// table and the history the HTTP API answers from) and the HTTP server, as services of one
/// `ServiceGroup` that shuts down gracefully on SIGTERM and SIGINT.
///
/// Order matters: a group shuts its services down in reverse order, so the pipeline stops first
/// (stop consuming, finish the batch, flush the producer, commit, leave the group), then the
/// reader, and the HTTP server last, answering `/readyz` with 503 meanwhile.
public struct ScorerRuntime: Sendable {
    /// The processor.
    public let processor: StreamProcessor
    /// Every user's latest published score, read back from the scores topic: what queries about
    /// any user answer from.
    public let scoreTable: GlobalScoreTable
    /// The pipeline's latest progress and phase.
    public let view: PipelineView
    /// Exported metrics.
    public let metrics: PipelineMetrics
    /// Published changes kept for the dashboard and per-network leaderboards.
    public let history: ScoreHistory
    /// What the HTTP server reads.
    public let context: ServerContext
    private let configuration: ResonanceConfiguration
    private let logger: Logger

    /// Builds an instance from `configuration`; nothing runs until ``serviceGroup(signals:)`` runs.
    /// `progress`, when given, is shown the pipeline's progress too.
    public init(
        configuration: ResonanceConfiguration, mode: StreamProcessor.Mode, options: HTTPServerOptions = HTTPServerOptions(),
        logger: Logger, observationInterval: Duration = .seconds(1), progress: (any PipelineObserver)? = nil
    ) {
        let metrics = PipelineMetrics()
        let view = PipelineView(metrics: metrics)
        let observer: any PipelineObserver = progress.map { PipelineObservers([view, $0]) } ?? view
        let processor = StreamProcessor(
            configuration: configuration, mode: mode, logger: logger, observer: observer, observationInterval: observationInterval)
        let history = ScoreHistory(pointsPerUser: options.historyPointsPerUser, usersWithHistory: options.historyUsers)
        let scoreTable = GlobalScoreTable()
        self.scoreTable = scoreTable
        let queries = InfluenceQueries(
            view: view, table: scoreTable, history: history,
            configuredNetworks: Set(configuration.model.networkWeights.keys), activeWindowDays: configuration.model.halfLifeDays)
        self.processor = processor
        self.view = view
        self.metrics = metrics
        self.history = history
        self.context = ServerContext(
            queries: queries, view: view, readinessPolicy: ReadinessPolicy(maxLag: options.readyMaxLag),
            metrics: metrics, table: scoreTable)
        self.configuration = configuration
        self.logger = logger
    }

    /// The HTTP application (a `Service`), on `http.host`:`http.port`.
    public func application() -> some ApplicationProtocol {
        Application(
            router: APIRouter.make(context),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.http.host, port: configuration.http.port), serverName: "resonance"),
            logger: logger)
    }

    /// The services in one group. `signals` trigger graceful shutdown (none in tests, which call
    /// `triggerGracefulShutdown()`); the group is cancelled if shutdown takes longer than
    /// `shutdown_timeout_seconds`. When the pipeline ends by itself (`--until-caught-up`), the
    /// group shuts down; when it fails, the group is cancelled and `run()` throws its error.
    public func serviceGroup(signals: [UnixSignal] = [.sigterm, .sigint]) -> ServiceGroup {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        // The table and the history serve only the HTTP API: without it (http.port 0, as in
        // rebuilds) the scores topic is not read back at all.
        if configuration.http.port != 0 {
            services.append(.init(service: application(), successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "http"))
            services.append(.init(
                service: ScoreTableService(
                    configuration: configuration, processor: processor, table: scoreTable, listener: history, logger: logger),
                successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "score-table"))
        }
        services.append(.init(
            // Cancellation comes after the graceful shutdown already had its time (or when
            // another service failed): one more second, then the process exits regardless.
            service: StreamProcessorService(
                processor: processor, view: view, logger: logger, cancellationGrace: .seconds(1)),
            successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "pipeline"))
        var group = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: signals, logger: logger)
        // Past the timeout the group cancels its services. No maximumCancellationDuration: the
        // group would crash the process when it runs out; the services bound their own waits.
        group.maximumGracefulShutdownDuration = configuration.shutdownTimeout
        return ServiceGroup(configuration: group)
    }
}
