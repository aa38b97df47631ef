/// The Prometheus series Resonance exports, in one place so that dashboards, alerts and
/// docs/OPERATIONS.md can rely on the names.
public enum MetricName {
    /// Counter: input messages read, valid or not.
    public static let messages = "resonance_messages_total"
    /// Counter, label `kind`: valid events applied.
    public static let events = "resonance_events_total"
    /// Counter, label `reason`: messages sent to the dead-letter topic.
    public static let deadLettered = "resonance_dead_lettered_total"
    /// Counter: score changes published (tombstones included).
    public static let scoreChanges = "resonance_score_changes_published_total"
    /// Counter: tombstones published after erases.
    public static let tombstones = "resonance_tombstones_published_total"
    /// Gauge, labels `topic`, `partition`: messages behind the end of an assigned partition.
    public static let consumerLag = "resonance_consumer_lag"
    /// Gauge: assigned input partitions.
    public static let assignedPartitions = "resonance_assigned_partitions"
    /// Gauge: users tracked in the partition states this instance owns.
    public static let usersInState = "resonance_users_in_state"
    /// Gauge: users in the global score table (every user with a published score).
    public static let scoreTableUsers = "resonance_score_table_users"
    /// Gauge: resident memory of the process, bytes.
    public static let residentMemory = "resonance_resident_memory_bytes"
    /// Gauge: seconds since the newest durable snapshot (absent until snapshots exist).
    public static let snapshotAge = "resonance_snapshot_age_seconds"
    /// Gauge: how long writing the newest snapshot took, seconds.
    public static let snapshotDuration = "resonance_snapshot_duration_seconds"
    /// Counter: snapshot writes that failed.
    public static let snapshotFailures = "resonance_snapshot_failures_total"
    /// Gauge: 1 when /readyz answers 200, else 0.
    public static let ready = "resonance_ready"
    /// Gauge: messages held back while their partition waits for the others to close an epoch.
    public static let heldMessages = "resonance_held_messages"
    /// Counter: standings reads that found only newer versions than asked for.
    public static let standingsGaps = "resonance_standings_gaps_total"
    /// Gauge: partitions paused because too many of their messages wait.
    public static let pausedPartitions = "resonance_paused_partitions"
    /// Counter: bytes of snapshots shipped to the state topic.
    public static let shippedBytes = "resonance_state_shipped_bytes_total"
    /// Counter, label `source` (`state_topic`, `state_directory`, `rebuilt`): partitions
    /// installed from each.
    public static let restores = "resonance_partition_restores_total"
    /// Gauge, label `partition`: 1 while the partition's state misses events the input no longer
    /// retains, else 0.
    public static let stateIncomplete = "resonance_state_incomplete"
}
