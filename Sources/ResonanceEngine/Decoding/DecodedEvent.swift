/// One input event as the decoder found it: numbers parsed, strings as views of UTF-8 bytes.
///
/// The byte views point into the message being decoded (or into the decoder's scratch space for
/// strings that contained escapes), so a `DecodedEvent` is valid only until the next call to
/// ``EventDecoder/decode(_:key:)`` and only while the message's bytes are alive. Nothing here
/// allocates: this is the hot path.
public struct DecodedEvent {
    /// The event's kind.
    public var kind: EventKind = .reaction
    /// The producer's unique id of the event; duplicates are dropped by it.
    public var id = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The network the event happened on (empty for `erase`).
    public var network = UnsafeRawBufferPointer(start: nil, count: 0)
    /// When it happened, epoch milliseconds.
    public var time: Int64 = 0
    /// A reaction's or undo's action name.
    public var action = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Who reacted (reaction, undo).
    public var actor = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Who was reacted to (reaction, undo).
    public var target = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The content reacted to (reaction, undo; optional) or published (post).
    public var content = UnsafeRawBufferPointer(start: nil, count: 0)
    /// A post's author.
    public var author = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The user a profile or erase event is about.
    public var user = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The id of the reaction an undo retracts.
    public var undoes = UnsafeRawBufferPointer(start: nil, count: 0)
    /// How many topics a post named.
    public var topicCount = 0
    /// A profile's follower count.
    public var followers: Int64 = 0
    /// A profile's following count.
    public var following: Int64 = 0
    /// How many lists a profile is on.
    public var lists: Int64 = 0
    /// A profile's classifier flags.
    public var flags: ProfileFlags = []

    public init() {}

    /// The user the event is about, which must also be its Kafka key: the target of a reaction or
    /// undo, a post's author, a profile's or erase's user.
    public var subject: UnsafeRawBufferPointer {
        switch kind {
        case .reaction, .undo: target
        case .post: author
        case .profile, .erase: user
        }
    }
}
