/// A user's long-lasting signals on one network, as of `time`, and upstream classifier flags.
public struct Profile: Sendable, Equatable {
    /// ``StableHash`` of the event id.
    public var idHash: UInt64
    /// When the profile was read, epoch milliseconds.
    public var time: Int64
    /// The network the counts are from.
    public var network: NetworkID
    /// Whose profile.
    public var user: UserHandle
    /// How many accounts follow the user.
    public var followers: UInt32
    /// How many accounts the user follows.
    public var following: UInt32
    /// How many lists the user is on.
    public var lists: UInt32
    /// Spam, bot or inactive, as classified upstream; replaces the user's earlier flags.
    public var flags: ActorFlags

    /// A profile.
    @inlinable
    public init(
        idHash: UInt64, time: Int64, network: NetworkID, user: UserHandle,
        followers: UInt32, following: UInt32, lists: UInt32 = 0, flags: ActorFlags = []
    ) {
        self.idHash = idHash
        self.time = time
        self.network = network
        self.user = user
        self.followers = followers
        self.following = following
        self.lists = lists
        self.flags = flags
    }
}
