/// Why a snapshot could not be written or read, in words an operator can act on.
public struct SnapshotError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, with the file.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
