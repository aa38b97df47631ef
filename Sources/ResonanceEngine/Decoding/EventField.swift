/// The contract-v1 fields the decoder knows, recognised from the key's bytes without allocating.
enum EventField: UInt8, CaseIterable {
    case v, id, kind, network, time, action, actor, target, content, author, user, undoes
    case followers, following, lists, topics, flags, actorCreated

    /// The field's name in the JSON object.
    var name: String {
        switch self {
        case .v: "v"
        case .id: "id"
        case .kind: "kind"
        case .network: "network"
        case .time: "time"
        case .action: "action"
        case .actor: "actor"
        case .target: "target"
        case .content: "content"
        case .author: "author"
        case .user: "user"
        case .undoes: "undoes"
        case .followers: "followers"
        case .following: "following"
        case .lists: "lists"
        case .topics: "topics"
        case .flags: "flags"
        case .actorCreated: "actor_created"
        }
    }

    /// Recognises a key, switching on its length first so that most keys cost one comparison.
    init?(_ key: UnsafeRawBufferPointer) {
        @inline(__always) func equals(_ name: StaticString) -> Bool {
            key.equalBytes(name)
        }
        switch key.count {
        case 1: if equals("v") { self = .v; return }
        case 2: if equals("id") { self = .id; return }
        case 4:
            if equals("kind") { self = .kind; return }
            if equals("time") { self = .time; return }
            if equals("user") { self = .user; return }
        case 5:
            if equals("actor") { self = .actor; return }
            if equals("lists") { self = .lists; return }
            if equals("flags") { self = .flags; return }
        case 6:
            if equals("action") { self = .action; return }
            if equals("target") { self = .target; return }
            if equals("author") { self = .author; return }
            if equals("undoes") { self = .undoes; return }
            if equals("topics") { self = .topics; return }
        case 7:
            if equals("network") { self = .network; return }
            if equals("content") { self = .content; return }
        case 9:
            if equals("followers") { self = .followers; return }
            if equals("following") { self = .following; return }
        case 13:
            if equals("actor_created") { self = .actorCreated; return }
        default: break
        }
        return nil
    }

    /// The fields an event of `kind` must carry (beyond `v` and `kind`).
    static func required(for kind: EventKind) -> [EventField] {
        switch kind {
        case .reaction: [.id, .network, .time, .action, .actor, .target]
        case .post: [.id, .network, .time, .author, .content]
        case .profile: [.id, .network, .time, .user, .followers, .following]
        case .undo: [.id, .network, .time, .action, .actor, .target, .undoes]
        case .erase: [.id, .time, .user]
        }
    }

    /// A set of fields as a bit mask.
    struct Set {
        private var bits: UInt32 = 0
        func contains(_ field: EventField) -> Bool { bits & (1 << field.rawValue) != 0 }
        mutating func insert(_ field: EventField) { bits |= 1 << field.rawValue }
    }
}
