import ResonanceEngine

/// What the HTTP server reads: the queries, the pipeline view for readiness, the metrics and
/// the global score table. Built once at start and shared by every request.
public struct ServerContext: Sendable {
    /// The query logic.
    public var queries: InfluenceQueries
    /// The pipeline as last reported.
    public var view: PipelineView
    /// When the instance is ready.
    public var readinessPolicy: ReadinessPolicy
    /// The exported series.
    public var metrics: PipelineMetrics
    /// Every user's latest published score.
    public var table: GlobalScoreTable
    /// Wall clock for ages in the metrics.
    public var clock: WallClock

    /// A context.
    public init(
        queries: InfluenceQueries, view: PipelineView, readinessPolicy: ReadinessPolicy,
        metrics: PipelineMetrics, table: GlobalScoreTable, clock: WallClock = .system
    ) {
        self.queries = queries
        self.view = view
        self.readinessPolicy = readinessPolicy
        self.metrics = metrics
        self.table = table
        self.clock = clock
    }

    /// Readiness now.
    public func readiness() -> Readiness {
        readinessPolicy.evaluate(phase: view.phase, progress: view.latest)
    }
}
