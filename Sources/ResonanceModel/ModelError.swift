/// The one error type of the scoring model. Each case's ``description`` says what to do.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A configuration value is out of range; the message names the key.
    case invalidConfiguration(String)
    /// Serialized state is not in a format this build reads (wrong magic or version).
    case unsupportedFormat(String)
    /// Serialized state was built under another model configuration (fingerprints differ).
    case configurationMismatch(expected: UInt64, found: UInt64)
    /// Serialized state ends early or holds values that cannot be right.
    case corruptState(String)

    /// A human message that says what went wrong and what to do about it.
    public var description: String {
        switch self {
        case .invalidConfiguration(let message):
            return "invalid [model] configuration: \(message); fix config/resonance.toml"
        case .unsupportedFormat(let message):
            return "unsupported state format: \(message); rebuild the state by replay"
        case .configurationMismatch(let expected, let found):
            return "state was built with model configuration \(String(found, radix: 16)) but this run uses "
                + "\(String(expected, radix: 16)); replay the input to rebuild it under the new configuration"
        case .corruptState(let message):
            return "corrupt state: \(message); use an older snapshot or replay"
        }
    }
}
