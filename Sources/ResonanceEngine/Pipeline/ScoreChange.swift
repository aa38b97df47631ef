import ResonanceModel

/// One message for the scores topic: a user's new score card, or a tombstone after an erase.
public struct ScoreChange: Sendable, Equatable {
    /// The user id (the message key).
    public var user: [UInt8]
    /// The new score card; `nil` for a tombstone.
    public var card: ScoreCard?
    /// The score last published for the user, 0 when none was.
    public var previous: Double
    /// Event time of the change (the partition's watermark), epoch milliseconds.
    public var time: Int64
    /// Increases with every change of the user's partition, so with every change of the user: it
    /// is the count of events the partition state has applied when the change was computed, which
    /// a replay of the same input reproduces exactly. Subscribers keep the highest per user.
    public var version: Int64
    /// The input partition (and so the output partition) the user belongs to.
    public var partition: Int32
    /// Whether upstream classifiers flagged the user spam, bot or inactive (their reactions count
    /// close to nothing, in every partition that reads this change).
    public var flagged: Bool

    public init(user: [UInt8], card: ScoreCard?, previous: Double, time: Int64, version: Int64, partition: Int32, flagged: Bool = false) {
        self.user = user
        self.card = card
        self.previous = previous
        self.time = time
        self.version = version
        self.partition = partition
        self.flagged = flagged
    }

    /// The v1 score-change JSON (Schemas/score-change.v1.schema.json), or `nil` for a tombstone.
    public func encodedValue(into json: inout JSONWriter) -> Bool {
        guard let card else { return false }
        json.reset()
        json.beginObject()
        json.key("v"); json.integer(1)
        json.key("user"); json.string(utf8: user)
        json.key("score"); json.number(card.score, decimals: 2)
        json.key("previous"); json.number(previous, decimals: 2)
        json.key("reach"); json.number(card.reach, decimals: 2)
        json.key("amplification"); json.number(card.amplification, decimals: 3)
        json.key("impact"); json.number(card.impact, decimals: 2)
        json.key("networks")
        json.scoresByName(card.networks, decimals: 2)
        if !card.topics.isEmpty {
            json.key("topics")
            json.scoresByName(card.topics, decimals: 2)
        }
        json.key("time"); json.integer(time)
        json.key("version"); json.integer(version)
        if flagged { json.key("flagged"); json.boolean(true) }
        json.endObject()
        return true
    }
}
