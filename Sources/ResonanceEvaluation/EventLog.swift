import ResonanceEngine
import ResonanceModel

/// A data set held in memory for evaluation: every event as contract-v1 JSON in event-time order
/// (what the scorer replays), and the reactions as compact ``Interaction``s (what the baselines
/// and the outcomes count).
///
/// The interactions follow the model's rules for what counts at all, so that baselines and model
/// see the same data: a reaction is counted once per event id (the 169 cascades present in both
/// Twitter15 and Twitter16 repeat their ids) and self-reactions are left out. Undo and erase
/// events are replayed into the model but not subtracted from the baselines' counts.
public struct EventLog: Sendable {
    /// Every event, stably sorted by event time (equal times keep input order, so a post stays
    /// before the reactions to it), as `resonance produce` sends them.
    public private(set) var events: [EncodedEvent]
    /// User ids by index.
    public private(set) var userIDs: [String]
    /// Counted reactions, in event-time order.
    public private(set) var interactions: [Interaction]
    /// Topic names by index, in order of first appearance on a post.
    public private(set) var topicNames: [String] = []
    /// The distinct topic sets posts carried, as indices into ``topicNames`` (an
    /// ``Interaction/topicSet`` points here).
    public private(set) var topicSets: [[Int32]] = []
    /// Input rows the converter rejected.
    public private(set) var rejectedRows: Int
    /// The first few rejections, for the operator.
    public private(set) var rejections: [String]

    /// Reads `paths` in `format` (files ending in .gz are decompressed).
    public static func load(
        paths: [String], format: DatasetFormat, mapping: ColumnMapping = ColumnMapping(), cascadeTopics: [String: [String]] = [:]
    ) throws -> EventLog {
        var rejected = 0
        var rejections: [String] = []
        let events = try DatasetConverter.events(fromFiles: paths, format: format, mapping: mapping, cascadeTopics: cascadeTopics) { path, error in
            rejected += 1
            if rejections.count < 10 { rejections.append("\(path): \(error)") }
        }
        return EventLog(unsortedEvents: events, rejectedRows: rejected, rejections: rejections)
    }

    /// A log of already encoded events (tests, generated data).
    public init(unsortedEvents: [EncodedEvent], rejectedRows: Int = 0, rejections: [String] = []) {
        self.init(unsortedEvents: unsortedEvents, injected: [], rejectedRows: rejectedRows, rejections: rejections)
    }

    /// This log with `attack`'s events added; their reactions are marked injected.
    public func injecting(_ attack: AttackPlan) -> EventLog {
        EventLog(unsortedEvents: events, injected: attack.events, rejectedRows: rejectedRows, rejections: rejections)
    }

    /// The events and `injected` (whose counted reactions are marked ``Interaction/injected``),
    /// sorted together by event time.
    init(unsortedEvents: [EncodedEvent], injected: [EncodedEvent], rejectedRows: Int, rejections: [String]) {
        let order = (unsortedEvents + injected).enumerated()
            .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
        events = order.map(\.element)
        let injectedFrom = unsortedEvents.count
        self.rejectedRows = rejectedRows
        self.rejections = rejections
        userIDs = []
        interactions = []
        var index: [String: Int32] = [:]
        var seen = Set<UInt64>()
        var topicIndex: [String: Int32] = [:]
        var setIndex: [[Int32]: Int32] = [:]
        var postTopics: [UInt64: Int32] = [:]
        let decoder = EventDecoder()
        func intern(_ bytes: UnsafeRawBufferPointer) -> Int32 {
            let id = String(decoding: bytes, as: UTF8.self)
            if let known = index[id] { return known }
            let new = Int32(userIDs.count)
            userIDs.append(id)
            index[id] = new
            return new
        }
        for (event, offset) in zip(events, order.lazy.map(\.offset)) {
            event.value.withUnsafeBytes { bytes in
                guard let decoded = try? decoder.decode(bytes, key: nil),
                    decoded.kind == .reaction || decoded.kind == .post
                else { return }
                if decoded.kind == .post {
                    // Authors are users too (the population of the timelines), but posts are no
                    // reactions: nothing to count. Their topics are what reactions to them are about.
                    _ = intern(decoded.author)
                    guard !decoded.topics.isEmpty else { return }
                    var set: [Int32] = []
                    for name in decoded.topics.map({ String(decoding: $0, as: UTF8.self) }) {
                        let topic = topicIndex[name] ?? {
                            topicNames.append(name)
                            topicIndex[name] = Int32(topicNames.count - 1)
                            return Int32(topicNames.count - 1)
                        }()
                        if !set.contains(topic) { set.append(topic) }
                    }
                    let index = setIndex[set] ?? {
                        topicSets.append(set)
                        setIndex[set] = Int32(topicSets.count - 1)
                        return Int32(topicSets.count - 1)
                    }()
                    postTopics[StableHash.fnv1a64(decoded.content)] = index
                    return
                }
                guard seen.insert(StableHash.fnv1a64(decoded.id)).inserted else { return }
                let actor = intern(decoded.actor)
                let target = intern(decoded.target)
                if actor != target {
                    let topics = decoded.content.isEmpty || postTopics.isEmpty ? -1 : postTopics[StableHash.fnv1a64(decoded.content)] ?? -1
                    interactions.append(Interaction(
                        time: decoded.time, actor: actor, target: target, injected: offset >= injectedFrom, topicSet: topics))
                }
            }
        }
    }

    /// The time of the first and last event, epoch milliseconds; nil for an empty log.
    public var timeSpan: ClosedRange<Int64>? {
        guard let first = events.first, let last = events.last else { return nil }
        return first.time...last.time
    }
}
