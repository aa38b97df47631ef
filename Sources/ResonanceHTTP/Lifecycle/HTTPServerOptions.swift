/// What the HTTP side needs beyond ``ResonanceConfiguration/HTTP``: the readiness bound and
/// the dashboard history's bounds.
public struct HTTPServerOptions: Sendable, Equatable {
    /// The most messages a partition may lag for `/readyz` to answer 200.
    public var readyMaxLag: Int64 = 10_000
    /// Published changes kept per user for the dashboard's history.
    public var historyPointsPerUser = 120
    /// Users whose history is kept.
    public var historyUsers = 50_000

    /// Defaults.
    public init() {}
}
