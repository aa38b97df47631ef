extension ModelConfiguration {
    /// Decodes a configuration in which every key is optional: a missing key keeps its default,
    /// so an operator's file only lists what it changes.
    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, into value: inout T) throws {
            if let decoded = try container.decodeIfPresent(T.self, forKey: key) { value = decoded }
        }
        try read(.halfLifeDays, into: &halfLifeDays)
        try read(.longLastingHalfLifeDays, into: &longLastingHalfLifeDays)
        try read(.pairMemoryHalfLifeDays, into: &pairMemoryHalfLifeDays)
        try read(.actionWeights, into: &actionWeights)
        try read(.longLastingActions, into: &longLastingActions)
        try read(.networkWeights, into: &networkWeights)
        try read(.defaultNetworkWeight, into: &defaultNetworkWeight)
        try read(.unknownActorScore, into: &unknownActorScore)
        try read(.whoDoublingPoints, into: &whoDoublingPoints)
        try read(.whoEpochHours, into: &whoEpochHours)
        try read(.flaggedActorFactor, into: &flaggedActorFactor)
        try read(.newAccountDays, into: &newAccountDays)
        try read(.crowdStandingThreshold, into: &crowdStandingThreshold)
        try read(.crowdScale, into: &crowdScale)
        try read(.repeatExponent, into: &repeatExponent)
        try read(.postsReference, into: &postsReference)
        try read(.postsExponent, into: &postsExponent)
        try read(.lastingMaxPoints, into: &lastingMaxPoints)
        try read(.lastingSaturationDecades, into: &lastingSaturationDecades)
        try read(.followingWeight, into: &followingWeight)
        try read(.listWeight, into: &listWeight)
        try read(.scaleReference, into: &scaleReference)
        try read(.scaleExponent, into: &scaleExponent)
        try read(.dedupeCapacity, into: &dedupeCapacity)
        try read(.undoCapacity, into: &undoCapacity)
        try read(.pairMemoryCapacity, into: &pairMemoryCapacity)
    }

    /// Encodes every key, so an encoded configuration is complete and self-describing.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(halfLifeDays, forKey: .halfLifeDays)
        try container.encode(longLastingHalfLifeDays, forKey: .longLastingHalfLifeDays)
        try container.encode(pairMemoryHalfLifeDays, forKey: .pairMemoryHalfLifeDays)
        try container.encode(actionWeights, forKey: .actionWeights)
        try container.encode(longLastingActions, forKey: .longLastingActions)
        try container.encode(networkWeights, forKey: .networkWeights)
        try container.encode(defaultNetworkWeight, forKey: .defaultNetworkWeight)
        try container.encode(unknownActorScore, forKey: .unknownActorScore)
        try container.encode(whoDoublingPoints, forKey: .whoDoublingPoints)
        try container.encode(whoEpochHours, forKey: .whoEpochHours)
        try container.encode(flaggedActorFactor, forKey: .flaggedActorFactor)
        try container.encode(newAccountDays, forKey: .newAccountDays)
        try container.encode(crowdStandingThreshold, forKey: .crowdStandingThreshold)
        try container.encode(crowdScale, forKey: .crowdScale)
        try container.encode(repeatExponent, forKey: .repeatExponent)
        try container.encode(postsReference, forKey: .postsReference)
        try container.encode(postsExponent, forKey: .postsExponent)
        try container.encode(lastingMaxPoints, forKey: .lastingMaxPoints)
        try container.encode(lastingSaturationDecades, forKey: .lastingSaturationDecades)
        try container.encode(followingWeight, forKey: .followingWeight)
        try container.encode(listWeight, forKey: .listWeight)
        try container.encode(scaleReference, forKey: .scaleReference)
        try container.encode(scaleExponent, forKey: .scaleExponent)
        try container.encode(dedupeCapacity, forKey: .dedupeCapacity)
        try container.encode(undoCapacity, forKey: .undoCapacity)
        try container.encode(pairMemoryCapacity, forKey: .pairMemoryCapacity)
    }
}
