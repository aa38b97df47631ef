extension ModelConfiguration {
    /// Checks that every constant is in the range the model's guarantees rely on.
    ///
    /// - Throws: ``ModelError/invalidConfiguration(_:)`` naming the first bad key and its range.
    public func validate() throws(ModelError) {
        func require(_ condition: Bool, _ message: String) throws(ModelError) {
            if !condition { throw ModelError.invalidConfiguration(message) }
        }
        try require(halfLifeDays > 0 && halfLifeDays.isFinite, "half_life_days must be a positive number")
        try require(longLastingHalfLifeDays > 0 && longLastingHalfLifeDays.isFinite,
                    "long_lasting_half_life_days must be a positive number")
        try require(enduringHalfLifeDays > 0 && enduringHalfLifeDays.isFinite,
                    "enduring_half_life_days must be a positive number")
        try require(enduringWeight >= 0 && enduringWeight.isFinite, "enduring_weight must be a number ≥ 0")
        try require(activeDayWeight >= 0 && activeDayWeight.isFinite, "active_day_weight must be a number ≥ 0")
        try require(pairMemoryHalfLifeDays > 0 && pairMemoryHalfLifeDays.isFinite,
                    "pair_memory_half_life_days must be a positive number")
        try require(actionWeights.count <= 250, "action_weights may list at most 250 actions")
        for (name, weight) in actionWeights {
            try require(weight >= 0 && weight.isFinite, "action_weights.\(name) must be a number ≥ 0")
        }
        for name in longLastingActions {
            try require(actionWeights[name] != nil, "long_lasting_actions names \(name), which action_weights lacks")
        }
        for (name, weight) in networkWeights {
            try require(weight >= 0 && weight.isFinite, "network_weights.\(name) must be a number ≥ 0")
        }
        try require(defaultNetworkWeight >= 0 && defaultNetworkWeight.isFinite, "default_network_weight must be ≥ 0")
        try require(unknownActorScore >= 1 && unknownActorScore <= 100, "unknown_actor_score must be in 1…100")
        try require(whoDoublingPoints > 0, "who_doubling_points must be > 0")
        try require(whoEpochHours >= 1.0 / 60 && whoEpochHours <= 24 * 366 && (whoEpochHours * 3_600_000).rounded() == whoEpochHours * 3_600_000,
                    "who_epoch_hours must be a whole number of milliseconds between one minute and a year")
        try require(flaggedActorFactor >= 0 && flaggedActorFactor <= 1, "flagged_actor_factor must be in 0…1")
        try require(newAccountDays >= 0 && newAccountDays <= 3650, "new_account_days must be in 0…3650 (0 turns the account-age factor off)")
        try require(crowdStandingThreshold >= 1 && crowdStandingThreshold <= 100, "crowd_standing_threshold must be in 1…100")
        try require(crowdScale > 0, "crowd_scale must be > 0")
        try require(repeatExponent >= 0, "repeat_exponent must be ≥ 0")
        try require(postsReference > 0, "posts_reference must be > 0")
        try require(postsExponent >= 0 && postsExponent < 1,
                    "posts_exponent must be in [0, 1) so that decay alone never raises a score")
        try require(lastingMaxPoints >= 0 && lastingMaxPoints < 99, "lasting_max_points must be in [0, 99)")
        try require(lastingSaturationDecades > 0, "lasting_saturation_decades must be > 0")
        try require(followingWeight >= 0 && listWeight >= 0, "following_weight and list_weight must be ≥ 0")
        try require(scaleReference > 0 && scaleExponent > 0, "scale_reference and scale_exponent must be > 0")
        try require(dedupeCapacity >= 1 && dedupeCapacity <= 1 << 30, "dedupe_capacity must be in 1…2^30")
        try require(undoCapacity >= 1 && undoCapacity <= dedupeCapacity,
                    "undo_capacity must be in 1…dedupe_capacity (an undo finds its reaction through the dedupe window)")
        try require(pairMemoryCapacity >= 4 && pairMemoryCapacity <= 1 << 30, "pair_memory_capacity must be in 4…2^30")
        try require(topicCapacity >= 0 && topicCapacity <= 1 << 24, "topic_capacity must be in 0…2^24 (0 turns topics off)")
        try require(contentTopicsCapacity >= 4 && contentTopicsCapacity <= 1 << 30, "content_topics_capacity must be in 4…2^30")
    }
}
