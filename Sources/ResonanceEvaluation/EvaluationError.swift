/// Why an evaluation cannot run, said so that the operator knows what to change.
public struct EvaluationError: Error, Sendable, CustomStringConvertible {
    /// One line: what is wrong and what to do.
    public var message: String

    /// An error with its message.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
