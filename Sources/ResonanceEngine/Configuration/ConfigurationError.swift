/// A configuration that cannot be used, naming the bad key and saying what is expected.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// One line: where, which key, what is wrong.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
