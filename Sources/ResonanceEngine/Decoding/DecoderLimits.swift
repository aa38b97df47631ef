import ResonanceModel

/// Size limits the decoder enforces; a message over any of them is dead-lettered, not truncated.
public struct DecoderLimits: Sendable, Equatable {
    /// The largest message value accepted, in bytes.
    public var maxMessageBytes = 64 * 1024
    /// The longest id (event, user, content, network, action), in UTF-8 bytes.
    public var maxIdentifierBytes = 256
    /// The most topics one post may name (the model keeps ``TopicList/capacity`` per post).
    public var maxTopics = TopicList.capacity
    /// The longest topic name, in UTF-8 bytes.
    public var maxTopicBytes = InfluenceState.maxTopicNameBytes
    /// The deepest nesting of unknown fields' values that is skipped before giving up.
    public var maxNestingDepth = 32

    public init() {}
}
