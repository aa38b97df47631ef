/// Why an input message was not applied. Every rejected message goes to the dead-letter topic
/// with its original bytes and this reason in the `resonance.reason` header.
public enum RejectionReason: String, Sendable, CaseIterable, Hashable {
    /// The value is not one well-formed JSON object.
    case malformedJSON = "malformed_json"
    /// The bytes are not valid UTF-8.
    case invalidUTF8 = "invalid_utf8"
    /// The message is larger than the configured limit.
    case oversized = "oversized"
    /// `v` is missing or is not a contract version this build understands.
    case unsupportedVersion = "unsupported_version"
    /// `kind` is missing or is not one of the contract's kinds.
    case unknownKind = "unknown_kind"
    /// A reaction's `action` is not a configured action.
    case unknownAction = "unknown_action"
    /// A required field is missing.
    case missingField = "missing_field"
    /// A field has the wrong JSON type or an invalid value.
    case invalidField = "invalid_field"
    /// The Kafka key is absent or is not the user the event is about.
    case keyMismatch = "key_mismatch"
    /// `time` is further from the partition's event-time watermark than the configured bounds.
    case timeOutOfBounds = "time_out_of_bounds"
}
