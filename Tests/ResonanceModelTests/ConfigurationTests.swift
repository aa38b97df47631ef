import Foundation
import Testing

@testable import ResonanceModel

/// One configuration with documented defaults.
@Suite("Model configuration")
struct ConfigurationTests {
    @Test("encoding writes every key in snake_case and decodes back to the same configuration")
    func coding() throws {
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ModelConfiguration())) as! [String: Any]
        #expect(Set(encoded.keys) == Set(ModelConfiguration.CodingKeys.allCases.map(\.rawValue)))
        #expect(encoded["half_life_days"] as? Double == 30)
        #expect(encoded.keys.allSatisfy { $0 == $0.lowercased() })
        let roundTrip = try JSONDecoder().decode(ModelConfiguration.self, from: JSONEncoder().encode(ModelConfiguration()))
        #expect(roundTrip == ModelConfiguration())
    }

    /// The default configuration with one key's encoded value replaced.
    static func replacing(_ key: ModelConfiguration.CodingKeys, with value: Any) throws -> ModelConfiguration {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ModelConfiguration())) as! [String: Any]
        object[key.rawValue] = value
        return try JSONDecoder().decode(ModelConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
    }

    /// The default value of the property `key` names: its snake_case name in camelCase.
    static func defaultValue(of key: ModelConfiguration.CodingKeys) -> Any? {
        let words = key.rawValue.split(separator: "_")
        let property = String(words[0]) + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return Mirror(reflecting: ModelConfiguration()).children.first { $0.label == property }?.value
    }

    /// Another value for `key`, of its type.
    static func otherValue(for key: ModelConfiguration.CodingKeys) throws -> Any {
        switch defaultValue(of: key) {
        case let map as [String: Double]: return map.merging(["another": 0.5]) { $1 }
        case let list as [String]: return list + ["another"]
        case let number as Double: return number * 2 + 1
        case let number as Int: return number / 2
        default: throw ModelError.invalidConfiguration("no other value for \(key.rawValue)")
        }
    }

    @Test("every key is part of the fingerprint", arguments: ModelConfiguration.CodingKeys.allCases)
    func everyKeyInFingerprint(key: ModelConfiguration.CodingKeys) throws {
        let changed = try Self.replacing(key, with: try Self.otherValue(for: key))
        #expect(changed != ModelConfiguration())
        #expect(changed.fingerprint != ModelConfiguration().fingerprint, "\(key.rawValue)")
    }

    @Test("every key is validated, and the error names it", arguments: ModelConfiguration.CodingKeys.allCases)
    func everyKeyValidated(key: ModelConfiguration.CodingKeys) throws {
        let invalid: Any
        switch Self.defaultValue(of: key) {
        case is [String: Double]: invalid = ["reshare": -1.0, "like": 0.3, "follow": 0.6, "list_add": 0.8]
        case is [String]: invalid = ["no-such-action"]
        default: invalid = -1_000_000_000
        }
        let configuration = try Self.replacing(key, with: invalid)
        do {
            try configuration.validate()
            Issue.record("\(key.rawValue) = \(invalid) passed validation")
        } catch {
            #expect("\(error)".contains(key.rawValue), "\(error)")
        }
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
