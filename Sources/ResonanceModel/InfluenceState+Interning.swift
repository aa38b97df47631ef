#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turning the bytes of ids and names into the small integers events carry.
extension InfluenceState {
    /// The handle of a user id (UTF-8 bytes), interning it if new: one hash lookup.
    ///
    /// Returns nil for an empty id or one longer than 1,024 bytes (dead-letter the event).
    public mutating func intern(userID: UnsafeRawBufferPointer) -> UserHandle? {
        intern(userID: userID, hash: UserIDHash(userID))
    }

    /// ``intern(userID:)`` with the id's hash computed beforehand (on another thread).
    public mutating func intern(userID: UnsafeRawBufferPointer, hash: UserIDHash) -> UserHandle? {
        guard let handle = directory.intern(userID, hash: hash.value) else { return nil }
        if Int(handle.rawValue) == users.count { users.append(UserRecord()) }
        return handle
    }

    /// The handle of a user id if it is interned here, without interning it.
    public func handle(of userID: UnsafeRawBufferPointer) -> UserHandle? {
        directory.lookup(userID)
    }

    /// Calls `body` with the id bytes of a handle; nil for a handle this state did not issue or
    /// has erased.
    public func withUserID<R>(of handle: UserHandle, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        try directory.withID(of: Int(handle.rawValue), body)
    }

    /// The id of a handle as a string (for exports and explanations, not the hot path).
    public func userID(of handle: UserHandle) -> String? {
        withUserID(of: handle) { String(decoding: $0, as: UTF8.self) }
    }

    /// The id of a configured action name, nil for an action the configuration does not list.
    public func action(named name: UnsafeRawBufferPointer) -> ActionID? {
        parameters.actionNames.index(of: name).map { ActionID(rawValue: UInt8($0)) }
    }

    /// The id of a configured action name given as a string.
    public func action(named name: String) -> ActionID? {
        var copy = name
        return copy.withUTF8 { action(named: UnsafeRawBufferPointer($0)) }
    }

    /// The name of an action id.
    public func actionName(_ action: ActionID) -> String {
        String(decoding: parameters.actionNames[Int(action.rawValue)], as: UTF8.self)
    }

    /// The id of a network name, interning it (in order of first appearance) if new; its *Where*
    /// weight comes from `network_weights` or `default_network_weight`. Nil for an empty name,
    /// a name over 64 bytes, or when 65,535 networks are already interned.
    public mutating func internNetwork(named name: UnsafeRawBufferPointer) -> NetworkID? {
        if let index = networkNames.index(of: name) { return NetworkID(rawValue: UInt16(index)) }
        guard !name.isEmpty, name.count <= 64, networkNames.count < Int(UInt16.max) else { return nil }
        let bytes = Array(name)
        networkNames.append(bytes)
        networkWeights.append(configuration.networkWeights[String(decoding: bytes, as: UTF8.self)] ?? configuration.defaultNetworkWeight)
        return NetworkID(rawValue: UInt16(networkNames.count - 1))
    }

    /// The id of a network name given as a string, interning it if new.
    public mutating func internNetwork(named name: String) -> NetworkID? {
        var copy = name
        return copy.withUTF8 { internNetwork(named: UnsafeRawBufferPointer($0)) }
    }

    /// The name of an interned network.
    public func networkName(_ network: NetworkID) -> String {
        String(decoding: networkNames[Int(network.rawValue)], as: UTF8.self)
    }

    /// The handle of a user id given as a string, interning it if new (tests and tools).
    public mutating func intern(userID: String) -> UserHandle? {
        var copy = userID
        return copy.withUTF8 { intern(userID: UnsafeRawBufferPointer($0)) }
    }

    /// The handle of a user id given as a string, if interned.
    public func handle(of userID: String) -> UserHandle? {
        var copy = userID
        return copy.withUTF8 { handle(of: UnsafeRawBufferPointer($0)) }
    }
}

/// memcmp equality of two byte buffers of the same length (the generic `elementsEqual` walks an
/// iterator byte by byte, and these lookups run on every event).
@inline(__always)
func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
}
