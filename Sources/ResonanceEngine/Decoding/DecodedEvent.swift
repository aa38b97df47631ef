import ResonanceModel

/// One input event as the decoder found it: numbers parsed, strings as views of UTF-8 bytes.
///
/// The byte views point into the message being decoded (or into the decoder's scratch space for
/// strings that contained escapes), so a `DecodedEvent` is valid only until the next call to
/// ``EventDecoder/decode(_:key:)`` and only while the message's bytes are alive. Nothing here
/// allocates: this is the hot path.
public struct DecodedEvent {
    /// The event's kind.
    public internal(set) var kind: EventKind = .reaction
    /// The producer's unique id of the event; duplicates are dropped by it.
    public internal(set) var id = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The network the event happened on (empty for `erase`).
    public internal(set) var network = UnsafeRawBufferPointer(start: nil, count: 0)
    /// When it happened, epoch milliseconds.
    public internal(set) var time: Int64 = 0
    /// A reaction's or undo's action name.
    public internal(set) var action = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Who reacted (reaction, undo).
    public internal(set) var actor = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Who was reacted to (reaction, undo).
    public internal(set) var target = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The content reacted to (reaction, undo; optional) or published (post).
    public internal(set) var content = UnsafeRawBufferPointer(start: nil, count: 0)
    /// A post's author.
    public internal(set) var author = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The user a profile or erase event is about.
    public internal(set) var user = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The id of the reaction an undo retracts.
    public internal(set) var undoes = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The topics a post named, in order (empty for most events: no allocation then).
    public internal(set) var topics: [UnsafeRawBufferPointer] = []
    /// A profile's follower count.
    public internal(set) var followers: Int64 = 0
    /// A profile's following count.
    public internal(set) var following: Int64 = 0
    /// How many lists a profile is on.
    public internal(set) var lists: Int64 = 0
    /// A profile's classifier flags.
    public internal(set) var flags: ProfileFlags = []
    /// When the reacting actor's account was created (epoch milliseconds), as the collector's
    /// platform reports it; nil when the event does not say.
    public internal(set) var actorCreated: Int64?

    /// `StableHash.fnv1a64(id)`, and the user directory's hashes of ``actor`` (reactions and undos)
    /// and of ``subject``: computed by ``EventDecoder`` on the decoding thread, so that the
    /// processing thread neither hashes ids nor waits for a hash before reading ahead. Zero (and
    /// ``UserIDHash/none``) until then.
    public internal(set) var idHash: UInt64 = 0
    public internal(set) var actorHash = UserIDHash.none
    public internal(set) var subjectHash = UserIDHash.none

    public init() {}

    /// Fills ``idHash``, ``actorHash`` and ``subjectHash`` from the bytes.
    mutating func computeHashes() {
        (idHash, actorHash, subjectHash) = hashes
    }

    /// ``idHash``, ``actorHash`` and ``subjectHash``: as the decoder computed them, or computed
    /// now for an event it did not hash (one made some other way, as in tests).
    var hashes: (id: UInt64, actor: UserIDHash, subject: UserIDHash) {
        // A decoded event always has a subject, so its subject hash is never `none`.
        if subjectHash != .none { return (idHash, actorHash, subjectHash) }
        return (StableHash.fnv1a64(id), kind == .reaction || kind == .undo ? UserIDHash(actor) : .none, UserIDHash(subject))
    }

    /// What reading ahead needs of this event (``InfluenceState/readAhead(_:before:)``).
    var preview: InfluenceState.EventPreview {
        InfluenceState.EventPreview(idHash: idHash, actor: actorHash, subject: subjectHash)
    }

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
