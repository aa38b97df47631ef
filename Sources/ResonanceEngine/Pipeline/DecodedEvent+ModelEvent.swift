import ResonanceModel

extension DecodedEvent {
    /// This event as the model's, its ids interned in `state` and its event ids hashed; a
    /// rejection when `state` cannot take it.
    func modelEvent(in state: inout InfluenceState) -> Result<ModelEvent, EventRejection> {
        let event = self
        let (idHash, actorHash, subjectHash) = event.hashes
        if event.kind == .erase {
            // Erasing a user this partition never saw must not create them.
            let user = state.handle(of: event.user) ?? UserHandle(rawValue: .max)
            return .success(.erase(Erase(idHash: idHash, time: event.time, user: user)))
        }
        guard let network = state.internNetwork(named: event.network) else {
            return .failure(EventRejection(.invalidField, "too many distinct networks; '\(String(decoding: event.network, as: UTF8.self))' cannot be added"))
        }
        switch event.kind {
        case .reaction, .undo:
            guard let action = state.action(named: event.action) else {
                return .failure(EventRejection(
                    .unknownAction,
                    "unknown action '\(String(decoding: event.action, as: UTF8.self))'; configured: \(state.configuration.actionWeights.keys.sorted().joined(separator: ", "))"))
            }
            guard let actor = state.intern(userID: event.actor, hash: actorHash),
                let target = state.intern(userID: event.target, hash: subjectHash)
            else {
                return .failure(EventRejection(.invalidField, "user id cannot be interned"))
            }
            if event.kind == .undo {
                return .success(.undo(Undo(
                    idHash: idHash, time: event.time, undoesHash: StableHash.fnv1a64(event.undoes), actor: actor, target: target)))
            }
            let content = event.content.count > 0 ? StableHash.fnv1a64(event.content) : nil
            return .success(.reaction(Reaction(
                idHash: idHash, time: event.time, network: network, action: action, actor: actor, target: target, contentHash: content,
                actorCreated: event.actorCreated)))
        case .post:
            guard let author = state.intern(userID: event.author, hash: subjectHash) else {
                return .failure(EventRejection(.invalidField, "user id cannot be interned"))
            }
            // A topic past the state's `topic_capacity` is left out; the post's known topics still count.
            var topics = TopicList()
            for name in event.topics {
                if let topic = state.internTopic(named: name) { topics.append(topic) }
            }
            return .success(.post(Post(
                idHash: idHash, time: event.time, network: network, author: author,
                contentHash: StableHash.fnv1a64(event.content), topics: topics)))
        case .profile:
            guard let user = state.intern(userID: event.user, hash: subjectHash) else {
                return .failure(EventRejection(.invalidField, "user id cannot be interned"))
            }
            var flags: ActorFlags = []
            if event.flags.contains(.spam) { flags.insert(.spam) }
            if event.flags.contains(.bot) { flags.insert(.bot) }
            if event.flags.contains(.inactive) { flags.insert(.inactive) }
            return .success(.profile(Profile(
                idHash: idHash, time: event.time, network: network, user: user,
                followers: UInt32(clamping: event.followers), following: UInt32(clamping: event.following),
                lists: UInt32(clamping: event.lists), flags: flags)))
        case .erase:
            preconditionFailure("handled above")
        }
    }
}
