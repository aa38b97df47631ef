/// Builds contract-v1 event JSON: for `resonance produce`, tests, benchmarks and collector authors
/// who want to see exactly what a valid event looks like.
public enum EventJSON {
    /// A reaction: `actor` did `action` to `target` (optionally on `content`).
    public static func reaction(
        id: String, network: String, time: Int64, action: String,
        actor: String, target: String, content: String? = nil, actorCreated: Int64? = nil
    ) -> EncodedEvent {
        var json = JSONWriter()
        json.beginObject()
        header(&json, id: id, kind: "reaction", network: network, time: time)
        json.key("action"); json.string(action)
        json.key("actor"); json.string(actor)
        json.key("target"); json.string(target)
        if let content { json.key("content"); json.string(content) }
        if let actorCreated { json.key("actor_created"); json.integer(actorCreated) }
        json.endObject()
        return EncodedEvent(key: Array(target.utf8), value: json.bytes, time: time)
    }

    /// A post: `author` published `content`.
    public static func post(
        id: String, network: String, time: Int64, author: String, content: String, topics: [String] = []
    ) -> EncodedEvent {
        var json = JSONWriter()
        json.beginObject()
        header(&json, id: id, kind: "post", network: network, time: time)
        json.key("author"); json.string(author)
        json.key("content"); json.string(content)
        if !topics.isEmpty {
            json.key("topics")
            json.beginArray()
            for topic in topics { json.string(topic) }
            json.endArray()
        }
        json.endObject()
        return EncodedEvent(key: Array(author.utf8), value: json.bytes, time: time)
    }

    /// A profile: long-lasting facts about `user`.
    public static func profile(
        id: String, network: String, time: Int64, user: String,
        followers: Int64, following: Int64, lists: Int64? = nil, flags: [String] = []
    ) -> EncodedEvent {
        var json = JSONWriter()
        json.beginObject()
        header(&json, id: id, kind: "profile", network: network, time: time)
        json.key("user"); json.string(user)
        json.key("followers"); json.integer(followers)
        json.key("following"); json.integer(following)
        if let lists { json.key("lists"); json.integer(lists) }
        if !flags.isEmpty {
            json.key("flags")
            json.beginArray()
            for flag in flags { json.string(flag) }
            json.endArray()
        }
        json.endObject()
        return EncodedEvent(key: Array(user.utf8), value: json.bytes, time: time)
    }

    /// An undo of the reaction whose id is `undoes`; the other fields repeat that reaction's.
    public static func undo(
        id: String, undoes: String, network: String, time: Int64, action: String,
        actor: String, target: String, content: String? = nil
    ) -> EncodedEvent {
        var json = JSONWriter()
        json.beginObject()
        header(&json, id: id, kind: "undo", network: network, time: time)
        json.key("action"); json.string(action)
        json.key("actor"); json.string(actor)
        json.key("target"); json.string(target)
        if let content { json.key("content"); json.string(content) }
        json.key("undoes"); json.string(undoes)
        json.endObject()
        return EncodedEvent(key: Array(target.utf8), value: json.bytes, time: time)
    }

    /// An erase: remove everything about `user`.
    public static func erase(id: String, time: Int64, user: String) -> EncodedEvent {
        var json = JSONWriter()
        json.beginObject()
        json.key("v"); json.integer(1)
        json.key("id"); json.string(id)
        json.key("kind"); json.string("erase")
        json.key("time"); json.integer(time)
        json.key("user"); json.string(user)
        json.endObject()
        return EncodedEvent(key: Array(user.utf8), value: json.bytes, time: time)
    }

    private static func header(_ json: inout JSONWriter, id: String, kind: StaticString, network: String, time: Int64) {
        json.key("v"); json.integer(1)
        json.key("id"); json.string(id)
        json.key("kind"); json.string(utf8: UnsafeRawBufferPointer(start: kind.utf8Start, count: kind.utf8CodeUnitCount))
        json.key("network"); json.string(network)
        json.key("time"); json.integer(time)
    }
}
