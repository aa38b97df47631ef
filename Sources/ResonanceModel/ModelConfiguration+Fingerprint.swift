extension ModelConfiguration {
    /// A stable 64-bit fingerprint of every value, for snapshot headers: two configurations have
    /// the same fingerprint exactly when every key has the same value (up to hash collisions).
    ///
    /// Built from a canonical text (keys in a fixed order, dictionaries sorted by name, numbers as
    /// bit patterns), so it does not depend on dictionary order or number formatting.
    public var fingerprint: UInt64 {
        var text = "resonance-model-configuration-v2"
        func add(_ key: CodingKeys, _ value: String) { text += "|\(key.rawValue)=\(value)" }
        func number(_ value: Double) -> String { String(value.bitPattern, radix: 16) }
        func table(_ value: [String: Double]) -> String {
            value.keys.sorted().map { "\($0):\(number(value[$0]!))" }.joined(separator: ",")
        }
        add(.halfLifeDays, number(halfLifeDays))
        add(.longLastingHalfLifeDays, number(longLastingHalfLifeDays))
        add(.enduringHalfLifeDays, number(enduringHalfLifeDays))
        add(.enduringWeight, number(enduringWeight))
        add(.activeDayWeight, number(activeDayWeight))
        add(.pairMemoryHalfLifeDays, number(pairMemoryHalfLifeDays))
        add(.actionWeights, table(actionWeights))
        add(.longLastingActions, longLastingActions.sorted().joined(separator: ","))
        add(.networkWeights, table(networkWeights))
        add(.defaultNetworkWeight, number(defaultNetworkWeight))
        add(.unknownActorScore, number(unknownActorScore))
        add(.whoDoublingPoints, number(whoDoublingPoints))
        add(.whoEpochHours, number(whoEpochHours))
        add(.flaggedActorFactor, number(flaggedActorFactor))
        add(.newAccountDays, number(newAccountDays))
        add(.crowdStandingThreshold, number(crowdStandingThreshold))
        add(.crowdScale, number(crowdScale))
        add(.repeatExponent, number(repeatExponent))
        add(.postsReference, number(postsReference))
        add(.postsExponent, number(postsExponent))
        add(.lastingMaxPoints, number(lastingMaxPoints))
        add(.lastingSaturationDecades, number(lastingSaturationDecades))
        add(.followingWeight, number(followingWeight))
        add(.listWeight, number(listWeight))
        add(.scaleReference, number(scaleReference))
        add(.scaleExponent, number(scaleExponent))
        add(.dedupeCapacity, String(dedupeCapacity))
        add(.undoCapacity, String(undoCapacity))
        add(.pairMemoryCapacity, String(pairMemoryCapacity))
        add(.topicCapacity, String(topicCapacity))
        add(.contentTopicsCapacity, String(contentTopicsCapacity))
        return StableHash.fnv1a64(text)
    }
}
