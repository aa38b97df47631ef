/// A request to forget a user entirely.
public struct Erase: Sendable, Equatable {
    /// ``StableHash`` of the event id.
    public var idHash: UInt64
    /// When it was requested, epoch milliseconds.
    public var time: Int64
    /// Who is to be forgotten.
    public var user: UserHandle

    /// An erase.
    @inlinable
    public init(idHash: UInt64, time: Int64, user: UserHandle) {
        self.idHash = idHash
        self.time = time
        self.user = user
    }
}
