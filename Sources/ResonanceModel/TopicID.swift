/// A topic interned in one ``InfluenceState`` (see ``InfluenceState/internTopic(named:)``).
public struct TopicID: Hashable, Sendable, BitwiseCopyable {
    /// The dense index, in order of first appearance.
    public var rawValue: UInt32

    /// Wraps a dense index.
    @inlinable
    public init(rawValue: UInt32) { self.rawValue = rawValue }
}

/// The topics of one post: at most ``capacity``, each once, in the order first named. Stored
/// inline (no allocation), so a post event stays a plain value on the hot path.
public struct TopicList: Sendable, Equatable, BitwiseCopyable {
    /// The most topics a post carries; the engine dead-letters a post naming more.
    public static let capacity = 8

    private var ids: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// How many topics the list holds.
    public private(set) var count = 0

    /// An empty list.
    @inlinable
    public init() {}

    /// A list of `topics`, repeats dropped; nil when more than ``capacity`` distinct topics remain.
    public init?(_ topics: some Sequence<TopicID>) {
        for topic in topics where !contains(topic) {
            guard count < TopicList.capacity else { return nil }
            append(topic)
        }
    }

    /// True when the list holds no topic.
    public var isEmpty: Bool { count == 0 }

    /// The topic at `index` (0..<count).
    public subscript(index: Int) -> TopicID {
        precondition(index >= 0 && index < count, "topic index out of range")
        return withUnsafeBytes(of: ids) { TopicID(rawValue: $0.load(fromByteOffset: index * 4, as: UInt32.self)) }
    }

    /// True when the list holds `topic`.
    public func contains(_ topic: TopicID) -> Bool {
        (0..<count).contains { self[$0] == topic }
    }

    /// Adds a topic not yet in the list; false when it was there already or the list is full.
    @discardableResult
    public mutating func append(_ topic: TopicID) -> Bool {
        guard count < TopicList.capacity, !contains(topic) else { return false }
        withUnsafeMutableBytes(of: &ids) { $0.storeBytes(of: topic.rawValue, toByteOffset: count * 4, as: UInt32.self) }
        count += 1
        return true
    }

    /// The topics, in order.
    public var topics: [TopicID] { (0..<count).map { self[$0] } }

    public static func == (lhs: TopicList, rhs: TopicList) -> Bool {
        lhs.count == rhs.count && (0..<lhs.count).allSatisfy { lhs[$0] == rhs[$0] }
    }
}
