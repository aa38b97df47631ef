/// Why a query has no answer: the module's one error type, with a code that maps to an HTTP
/// status and a message that tells the caller what to change.
public struct QueryError: Error, Sendable, Equatable {
    /// The kind of failure.
    public enum Code: String, Sendable, Codable {
        /// No such user (never scored here nor published by any instance).
        case notFound = "not_found"
        /// A parameter is missing, malformed or out of range.
        case badRequest = "bad_request"
    }

    /// The kind of failure.
    public var code: Code
    /// What is wrong, in words.
    public var message: String

    /// An error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
