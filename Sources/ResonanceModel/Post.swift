/// `author` posted content on `network` at `time` (the *What* factor counts posts). A post's
/// topics are remembered with its content, so that reactions to the content credit the author's
/// influence in those topics.
public struct Post: Sendable, Equatable {
    /// ``StableHash`` of the event id.
    public var idHash: UInt64
    /// When it was posted, epoch milliseconds.
    public var time: Int64
    /// Where it was posted.
    public var network: NetworkID
    /// Who posted.
    public var author: UserHandle
    /// ``StableHash`` of the content id.
    public var contentHash: UInt64
    /// What the post is about (interned with ``InfluenceState/internTopic(named:)``).
    public var topics: TopicList

    /// A post.
    @inlinable
    public init(idHash: UInt64, time: Int64, network: NetworkID, author: UserHandle, contentHash: UInt64, topics: TopicList = TopicList()) {
        self.idHash = idHash
        self.time = time
        self.network = network
        self.author = author
        self.contentHash = contentHash
        self.topics = topics
    }
}
