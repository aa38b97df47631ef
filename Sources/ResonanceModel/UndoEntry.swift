/// What one recent reaction contributed, kept so that an `undo` subtracts exactly that.
///
/// Contributions are stored before forward-decay scaling (with the event time), so they can be
/// rescaled to whatever landmark the state has when the undo arrives. No padding: 64 bytes.
struct UndoEntry: BitwiseCopyable, Equatable {
    /// *Who* · *How* · repeat factor of the reaction.
    var weight: Double = 0
    /// Reach the reaction added (1 for a first-time actor, less for a returning one).
    var reach: Double = 0
    /// The actor's standing score used (for the Network Impact sum).
    var standing: Double = 0
    /// Event time, epoch milliseconds.
    var time: Int64 = 0
    /// Actor and target handles.
    var actor: UInt32 = 0
    var target: UInt32 = 0
    /// Network id.
    var network: UInt16 = 0
    /// Which sum received the weight (see `InfluenceState.Pool`).
    var pool: UInt16 = 0
    /// Which pass of the undo ring wrote the entry (sequence ÷ `undo_capacity` + 1); 0 when empty.
    var generation: UInt32 = 0
    /// The content reacted to, when the reaction credited its topics (``topicsBit``).
    var content: UInt64 = 0
    /// Bit i: the reaction opened the day of the content's i-th topic (an undo takes it back).
    var topicDaysOpened: UInt64 = 0

    /// ``pool`` holds the ``Pool`` in its low byte and these flags above it.
    static let poolMask: UInt16 = 0xFF
    /// The reaction counts toward its target's active days (an engagement reaction at full weight).
    static let countsDayBit: UInt16 = 0x100
    /// The reaction was the first of its day for its target: an undo takes the day back.
    static let openedDayBit: UInt16 = 0x200
    /// The reaction enters its target's enduring record (an engagement reaction, not flagged).
    static let enduringBit: UInt16 = 0x400
    /// The reaction credited the topics of ``content``: an undo takes them back.
    static let topicsBit: UInt16 = 0x800
    /// Every flag above.
    static let flagBits: UInt16 = countsDayBit | openedDayBit | enduringBit | topicsBit
}
