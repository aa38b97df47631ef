/// How the columns of a generic CSV/TSV file become contract-v1 events.
///
/// Each event field comes either from a column (`columns["actor"] = "child_uid"`) or from a
/// constant (`constants["network"] = "twitter"`). `time` is read in ``timeUnit``. Without an `id`
/// column, an event's id is `<source>:<line>`, so producing the same file twice produces the same
/// ids and the processor drops the repeats.
public struct ColumnMapping: Sendable, Equatable {
    /// Event field → column name in the header.
    public var columns: [String: String] = [:]
    /// Event field → constant value.
    public var constants: [String: String] = [:]
    /// The kind of event every row becomes.
    public var kind: EventKind = .reaction
    /// The unit of the time column.
    public var timeUnit: TimeUnit = .milliseconds
    /// A name for the source used in generated ids.
    public var source = "csv"

    /// The unit of a time column.
    public enum TimeUnit: String, Sendable, CaseIterable {
        case seconds = "s"
        case milliseconds = "ms"
    }

    public init() {}

    /// The fields that may be mapped, by kind.
    static func fields(for kind: EventKind) -> [String] {
        switch kind {
        case .reaction: ["id", "network", "time", "action", "actor", "target", "content"]
        case .post: ["id", "network", "time", "author", "content"]
        case .profile: ["id", "network", "time", "user", "followers", "following", "lists"]
        case .undo: ["id", "network", "time", "action", "actor", "target", "content", "undoes"]
        case .erase: ["id", "time", "user"]
        }
    }
}
