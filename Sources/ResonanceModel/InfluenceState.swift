/// The influence model's state for one input partition: every user the partition's events are
/// about, their decayed engagement sums, and the bounded anti-gaming memories.
///
/// A value type with paged storage: copying it (to snapshot) costs O(pages), and writes after a
/// copy duplicate only the pages they touch. Pure: no clock (time comes with events as epoch
/// milliseconds), no files, no I/O. The same events in the same order give bit-identical state,
/// whatever the batching, serialization round trips included.
public struct InfluenceState: Sendable {
    /// The configuration the state was built with.
    public let configuration: ModelConfiguration
    let parameters: ModelParameters

    var directory = UserDirectory()
    /// Per handle.
    var users = PagedArray<UserRecord>(pageShift: 12, filler: UserRecord())
    /// Per (user, network), chained from ``UserRecord/firstNetwork``.
    var networkRecords = PagedArray<NetworkRecord>(pageShift: 12, filler: NetworkRecord())
    /// Interned network names (UTF-8), indexed by ``NetworkID``.
    var networkNames = NameTable()
    /// *Where* weight per interned network.
    var networkWeights: [Double] = []

    /// The last `dedupe_capacity` events' ids and sequence numbers.
    var recent: RecentEventWindow
    /// The contributions of the reactions among the last `undo_capacity` events, at their
    /// sequence number modulo `undo_capacity` (see ``undoSlot(of:)``). Grows to `undo_capacity`
    /// slots as events come (``growUndoLog(toHold:)``).
    var undoEntries: PagedArray<UndoEntry>
    var pairs: PairMemory
    /// Interned topic names, indexed by ``TopicID``, and the index from name to id.
    var topicNames: [[UInt8]] = []
    var topicIndex: [[UInt8]: UInt32] = [:]
    /// The topics of recent posts, by content (empty until a post carries topics).
    var contentTopics: ContentTopics
    /// Per handle: the user's block of topic slots + 1, 0 for none (grown only as users get topics).
    var topicBlocks = PagedArray<UInt32>(pageShift: 12, filler: 0)
    /// Blocks of ``topicsPerUser`` slots (see InfluenceState+Topics.swift).
    var topicSlots = PagedArray<TopicSlot>(pageShift: 9, filler: TopicSlot())

    /// The largest event time applied, epoch milliseconds: the partition's "now". `Int64.min`
    /// before the first event.
    public internal(set) var watermark: Int64 = .min
    /// The forward-decay landmark: sums are stored relative to it. Set by the first event and moved
    /// (rebasing every sum) only when event time runs 512 half-lives past it.
    var landmark: Int64 = 0
    var hasLandmark = false
    /// The decay factors at the watermark under the current landmark, computed once per new
    /// watermark instead of on every score read (two `exp2` each). Derived, never serialized:
    /// valid only while `decayCache.time == watermark` and `decayCache.landmark == landmark`.
    var decayCache = DecayCache()
    /// Users with subject data here (reactions received, posts, profile).
    public internal(set) var trackedUserCount = 0
    /// The last standing epoch closed (see ``closeStandings(through:_:)``); `Int64.min` before
    /// the first close.
    public internal(set) var standingsClosedThrough: Int64 = .min
    /// Handles whose standing goes out at the next close (each has ``UserRecord/standingDueBit``).
    var standingsDue: [UInt32] = []
    /// True for a copy made by ``forReading()``: it answers every read, but has no dedupe
    /// window, undo log or pair memory, so it must neither take events nor be serialized.
    public internal(set) var isReadingCopy = false
    /// Makes the state an address-only type, so that other modules pass it to its methods by
    /// reference. A large *loadable* struct is passed by value: every call from the engine,
    /// `state.score(of:)` and the like, first copied all of the state's ~930 bytes to the stack
    /// (7% of the processing thread in file mode). An existential field is what makes a struct
    /// address-only; it holds nothing.
    private let passedByReference: any Sendable = ()

    /// An empty state.
    ///
    /// - Throws: ``ModelError/invalidConfiguration(_:)`` when a constant is out of range.
    public init(configuration: ModelConfiguration) throws(ModelError) {
        try configuration.validate()
        self.configuration = configuration
        parameters = ModelParameters(configuration)
        recent = RecentEventWindow(capacity: configuration.dedupeCapacity)
        undoEntries = PagedArray(pageShift: 12, filler: UndoEntry())
        pairs = PairMemory(capacity: configuration.pairMemoryCapacity)
        contentTopics = ContentTopics(capacity: configuration.contentTopicsCapacity)
    }
}
