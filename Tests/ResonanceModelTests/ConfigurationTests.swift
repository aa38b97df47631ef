import Foundation
import ResonanceModel
import Testing

/// Issue 3 point 9: one configuration with documented defaults.
@Suite("Model configuration")
struct ConfigurationTests {
    @Test("a partial file keeps the defaults for keys it omits; encoding writes every key in snake_case")
    func partialDecoding() throws {
        let json = #"{"half_life_days": 14, "action_weights": {"like": 0.2, "reshare": 1, "clap": 0.4}}"#
        let decoded = try JSONDecoder().decode(ModelConfiguration.self, from: Data(json.utf8))
        var expected = ModelConfiguration()
        expected.halfLifeDays = 14
        expected.actionWeights = ["like": 0.2, "reshare": 1, "clap": 0.4]
        expected.longLastingActions = ModelConfiguration().longLastingActions
        #expect(decoded == expected)
        #expect(throws: ModelError.self) { try decoded.validate() }  // follow is long-lasting but not weighted

        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ModelConfiguration())) as! [String: Any]
        #expect(encoded.count == 29)
        #expect(encoded["half_life_days"] as? Double == 30)
        #expect(encoded.keys.allSatisfy { $0 == $0.lowercased() })
        let roundTrip = try JSONDecoder().decode(ModelConfiguration.self, from: JSONEncoder().encode(ModelConfiguration()))
        #expect(roundTrip == ModelConfiguration())
    }

    @Test("the fingerprint is stable and changes with any value")
    func fingerprint() {
        let base = ModelConfiguration()
        #expect(base.fingerprint == ModelConfiguration().fingerprint)
        var changed = base
        changed.actionWeights["like"] = 0.31
        #expect(changed.fingerprint != base.fingerprint)
        changed = base
        changed.dedupeCapacity += 1
        #expect(changed.fingerprint != base.fingerprint)
        changed = base
        changed.scaleExponent = 0.3
        #expect(changed.fingerprint != base.fingerprint)
    }

    @Test("out-of-range values are refused with the key's name")
    func validation() {
        var bad = ModelConfiguration()
        bad.postsExponent = 1
        #expect(throws: ModelError.invalidConfiguration("posts_exponent must be in [0, 1) so that decay alone never raises a score")) {
            try bad.validate()
        }
        #expect(throws: ModelError.self) { try InfluenceState(configuration: bad) }
        bad = ModelConfiguration()
        bad.halfLifeDays = 0
        #expect(throws: ModelError.self) { try bad.validate() }
        #expect(throws: Never.self) { try ModelConfiguration().validate() }
    }

    @Test("actions are looked up by configured name; unknown names return nil; more can be configured")
    func actions() throws {
        var configuration = ModelConfiguration()
        configuration.actionWeights["clap"] = 0.4
        let state = try InfluenceState(configuration: configuration)
        for name in ["like", "reshare", "comment", "reply", "mention", "follow", "list_add", "clap"] {
            let action = try #require(state.action(named: name))
            #expect(state.actionName(action) == name)
        }
        #expect(state.action(named: "poke") == nil)
        #expect(state.action(named: "") == nil)
    }

    @Test("networks are interned in order of first appearance; ids intern once")
    func interning() throws {
        var state = try InfluenceState(configuration: ModelConfiguration())
        let twitter = state.internNetwork(named: "twitter")!
        let mastodon = state.internNetwork(named: "mastodon")!
        #expect(twitter.rawValue == 0 && mastodon.rawValue == 1)
        let twitterAgain = state.internNetwork(named: "twitter")
        #expect(twitterAgain == twitter)
        #expect(state.networkName(mastodon) == "mastodon")
        var handles: [UserHandle] = []
        for index in 0..<50_000 { handles.append(state.intern(userID: "user-\(index)")!) }
        for index in stride(from: 0, to: 50_000, by: 997) {
            #expect(state.handle(of: "user-\(index)") == handles[index])
            let again = state.intern(userID: "user-\(index)")
            #expect(again == handles[index])
            #expect(state.userID(of: handles[index]) == "user-\(index)")
        }
        #expect(state.internedUserCount == 50_000)
        #expect(state.trackedUserCount == 0)
        let empty = state.intern(userID: "")
        let tooLong = state.intern(userID: String(repeating: "x", count: 1_025))
        #expect(empty == nil && tooLong == nil)
    }
}
