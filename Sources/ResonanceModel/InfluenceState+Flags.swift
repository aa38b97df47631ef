extension InfluenceState {
    /// The classifier flags (spam, bot, inactive) from the user's latest profile event. The
    /// engine publishes them with every score change so that other partitions and instances
    /// weigh this user's reactions as this partition would.
    public func flags(of user: UserHandle) -> ActorFlags {
        let index = Int(user.rawValue)
        guard index < users.count else { return [] }
        return users[index].actorFlags
    }
}
