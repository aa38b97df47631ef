import ResonanceModel
import Testing

/// The user directory behind ``InfluenceState/intern(userID:)``: an open-addressing table whose
/// slots carry a tag of the id's hash (docs/DESIGN.md, "Where the time goes"), grown as it fills
/// and shrunk by backward-shift deletion when a user is erased.
@Suite("User directory")
struct UserDirectoryTests {
    static var configuration: ModelConfiguration {
        var configuration = ModelConfiguration()
        configuration.dedupeCapacity = 1024
        configuration.undoCapacity = 256
        configuration.pairMemoryCapacity = 1024
        return configuration
    }

    @Test("through growth and erasures every live id keeps its handle, erased ids are gone, and the same operations give the same bytes")
    func randomizedInternsAndErasures() throws {
        var state = try InfluenceState(configuration: Self.configuration)
        var twin = try InfluenceState(configuration: Self.configuration)
        var random = SplitMix64(seed: 11)
        var live: [String: UserHandle] = [:]
        var erased: Set<String> = []
        var issued: Set<UserHandle> = []
        // 5,000 distinct ids, many seen again, one operation in ten an erasure: the table grows
        // from 1,024 slots to 8,192, and erasures pull later entries of probe runs back.
        for _ in 0..<9_000 {
            let id = "user-\(random.next() % 5_000)"
            if random.next() % 10 == 0, live[id] != nil {
                let forgotten = state.forgetUser(id: id), forgottenTwin = twin.forgetUser(id: id)
                #expect(forgotten && forgottenTwin)
                live[id] = nil
                erased.insert(id)
                continue
            }
            let interned = state.intern(userID: id), internedTwin = twin.intern(userID: id)
            let handle = try #require(interned)
            #expect(internedTwin == handle)
            if let known = live[id] {
                #expect(handle == known)
            } else {
                // A handle is never issued twice, not even to an erased id coming back.
                #expect(issued.insert(handle).inserted)
                live[id] = handle
                erased.remove(id)
            }
        }
        #expect(live.count > 2_000 && erased.count > 100)
        for (id, handle) in live { #expect(state.handle(of: id) == handle, "\(id)") }
        for id in erased { #expect(state.handle(of: id) == nil, "\(id)") }
        #expect(state.handle(of: "never-seen") == nil)
        #expect(state.handle(of: "") == nil)

        let bytes = state.serializedBytes()
        #expect(bytes == twin.serializedBytes())
        let restored = try bytes.withUnsafeBytes { try InfluenceState(deserializing: $0, configuration: Self.configuration) }
        for (id, handle) in live { #expect(restored.handle(of: id) == handle, "\(id)") }
        for id in erased { #expect(restored.handle(of: id) == nil, "\(id)") }
    }
}
