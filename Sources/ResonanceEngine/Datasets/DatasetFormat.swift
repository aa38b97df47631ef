/// The input formats `resonance produce` understands.
public enum DatasetFormat: String, Sendable, CaseIterable {
    /// Contract-v1 events, one JSON object per line; the key is taken from each event's subject.
    case jsonl
    /// Twitter15/Twitter16 propagation trees (data/twitter1516_events.csv.gz).
    case twitter1516
    /// Klout's When-To-Post sample, Twitter part: the actor retweeted the user's post.
    case kloutTwitter = "klout-tw"
    /// Klout's When-To-Post sample, Facebook part: the actor commented on the user's post.
    case kloutFacebook = "klout-fb"
    /// Any CSV with a header row, mapped to events by a ``ColumnMapping``.
    case csv
    /// Any TSV with a header row, mapped to events by a ``ColumnMapping``.
    case tsv
}
