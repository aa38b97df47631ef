/// An error from the Kafka client: what happened and, where it helps, what to do about it.
public struct KafkaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is, for code that must react differently to each.
    public enum Code: Sendable, Hashable {
        /// The loaded librdkafka is older than ``KafkaLibrary/minimumVersion``.
        case libraryTooOld
        /// A configuration property is unknown or its value is invalid.
        case invalidConfiguration
        /// No broker answered within the allowed time.
        case brokerUnreachable
        /// A topic the operation needs does not exist.
        case unknownTopic
        /// A topic that was to be created exists already; callers that only need it to exist
        /// can ignore this.
        case topicAlreadyExists
        /// A blocking call did not finish within its timeout.
        case timedOut
        /// The client was closed; it cannot be used any more.
        case closed
        /// The caller passed an argument the client cannot use (for example a partition that
        /// is not assigned).
        case invalidArgument
        /// A librdkafka call failed; `rawValue` is `rd_kafka_resp_err_t`.
        case librdkafka(Int32)
    }

    /// What kind of failure this is.
    public var code: Code
    /// One line that says what happened and what to do.
    public var message: String

    /// Makes an error of kind `code` with a one-line `message` that says what to do.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message line.
    public var description: String { message }
}
