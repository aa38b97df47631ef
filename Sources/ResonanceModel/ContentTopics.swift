/// A bounded memory of which topics recent posts carried, so that a reaction to a post credits
/// its author's influence in them.
///
/// Four-way set-associative by content hash, like ``PairMemory``: a post lives in one bucket of
/// four entries; when a new post finds its bucket full at full size, it replaces the bucket's
/// oldest post (reactions come soon after a post, so the oldest is the one least likely to be
/// reacted to again; forgetting it only means later reactions to it credit no topic). The table
/// is empty (no pages) until the first post with topics, then grows by doubling up to `capacity`
/// entries, evicting nothing until then. A state whose posts carry no topics pays nothing.
struct ContentTopics: Sendable {
    /// One remembered post; all zero when empty. 56 bytes, no padding.
    struct Entry: SetAssociativeEntry, Equatable {
        /// The content hash, never 0 (0 marks an empty entry; see ``ContentTopics/key(_:)``).
        var key: UInt64 = 0
        /// When it was posted, epoch milliseconds.
        var time: Int64 = 0
        /// The author's handle + 1; 0 once the author was erased (the post's topics stay, so that
        /// an undo of a reaction to it still takes back what the reaction credited).
        var author: UInt32 = 0
        /// How many of ``topics`` are used.
        var count: UInt32 = 0
        var topics: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)

        var topicList: TopicList {
            var list = TopicList()
            withUnsafeBytes(of: topics) { bytes in
                for index in 0..<Int(Swift.min(count, UInt32(TopicList.capacity))) {
                    list.append(TopicID(rawValue: bytes.load(fromByteOffset: index * 4, as: UInt32.self)))
                }
            }
            return list
        }

        static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.key == rhs.key && lhs.time == rhs.time && lhs.author == rhs.author && lhs.topicList == rhs.topicList
        }
    }

    static let ways = 4
    static let pageShift = 12
    var entries: PagedArray<Entry>
    /// The entry count for `capacity` posts, where growing stops.
    let fullCount: Int

    init(capacity: Int) {
        fullCount = PagedArray<Entry>.fullCount(forCapacity: capacity, ways: ContentTopics.ways)
        entries = PagedArray(pageShift: Self.pageShift, filler: Entry())
    }

    /// Takes entries read from a snapshot: none, or a power of two from a bucket up to the full
    /// size. Returns false for an impossible count.
    mutating func adopt(_ stored: PagedArray<Entry>) -> Bool {
        guard stored.count == 0 || PagedArray<Entry>.isTableSize(stored.count, ways: ContentTopics.ways, fullCount: fullCount) else { return false }
        entries = stored
        return true
    }

    /// The key of a content hash: never 0.
    @inline(__always)
    static func key(_ contentHash: UInt64) -> UInt64 { contentHash == 0 ? 1 : contentHash }

    @inline(__always)
    func bucketStart(_ key: UInt64) -> Int {
        entries.bucketStart(key, ways: ContentTopics.ways)
    }

    /// The topics of a remembered post; empty when the post is unknown or carried none.
    func topics(of contentHash: UInt64) -> TopicList {
        guard entries.count > 0 else { return TopicList() }
        let key = ContentTopics.key(contentHash)
        let start = bucketStart(key)
        for slot in start..<(start + ContentTopics.ways) where entries[slot].key == key {
            return entries[slot].topicList
        }
        return TopicList()
    }

    /// Remembers a post's topics. A content id already remembered keeps its first topics: what a
    /// reaction to it credited is what an undo of that reaction takes back.
    mutating func remember(_ contentHash: UInt64, topics: TopicList, author: UserHandle, time: Int64) {
        if entries.count == 0 { entries.resize(to: Swift.min(fullCount, 1 << Self.pageShift)) }
        var entry = Entry(key: ContentTopics.key(contentHash), time: time, author: author.rawValue &+ 1, count: UInt32(topics.count))
        withUnsafeMutableBytes(of: &entry.topics) { bytes in
            for index in 0..<topics.count { bytes.storeBytes(of: topics[index].rawValue, toByteOffset: index * 4, as: UInt32.self) }
        }
        let canGrow = entries.count < fullCount
        let stored = entries.withMutableRun(at: bucketStart(entry.key), length: ContentTopics.ways) { bucket -> Bool in
            var oldest = 0
            for way in 0..<ContentTopics.ways {
                if bucket[way].key == entry.key { return true }
                if bucket[oldest].key != 0 && (bucket[way].key == 0 || bucket[way].time < bucket[oldest].time) { oldest = way }
            }
            if canGrow && bucket[oldest].key != 0 { return false }
            bucket[oldest] = entry
            return true
        }
        if stored { return }
        entries.doubleKeepingEntries(ways: ContentTopics.ways)
        remember(contentHash, topics: topics, author: author, time: time)
    }

    /// Forgets that `author` wrote their posts (an erase): the posts' topics stay, anonymous.
    mutating func forgetAuthor(_ author: UserHandle) {
        let tag = author.rawValue &+ 1
        for slot in 0..<entries.count where entries[slot].key != 0 && entries[slot].author == tag {
            entries[slot].author = 0
        }
    }
}
