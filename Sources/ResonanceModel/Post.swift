/// `author` posted content on `network` at `time` (the *What* factor counts posts).
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
    /// How many topics the post carries (kept for explanations; not scored).
    public var topicCount: Int

    /// A post.
    @inlinable
    public init(idHash: UInt64, time: Int64, network: NetworkID, author: UserHandle, contentHash: UInt64, topicCount: Int = 0) {
        self.idHash = idHash
        self.time = time
        self.network = network
        self.author = author
        self.contentHash = contentHash
        self.topicCount = topicCount
    }
}
