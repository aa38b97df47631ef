import CRdKafka

/// Facts about the librdkafka library this process loaded at run time.
public enum KafkaLibrary {
    /// The oldest librdkafka Resonance accepts. 2.0.x mis-skips tagged protocol fields and cannot
    /// talk to current brokers (fixed in 2.2.0).
    public static let minimumVersion = KafkaLibraryVersion(major: 2, minor: 2, patch: 0)

    /// The version of the librdkafka that is loaded, which may differ from the headers compiled
    /// against when the dynamic loader picks another copy.
    public static var loadedVersion: KafkaLibraryVersion {
        KafkaLibraryVersion(encoded: UInt32(bitPattern: rd_kafka_version()))
    }

    /// Throws ``KafkaError`` (`.libraryTooOld`) when the loaded librdkafka is older than
    /// ``minimumVersion``.
    public static func requireSupportedVersion() throws(KafkaError) {
        let loaded = loadedVersion
        guard loaded >= minimumVersion else {
            throw KafkaError(
                .libraryTooOld,
                "librdkafka \(loaded) is loaded but Resonance needs \(minimumVersion) or newer; "
                    + "run scripts/bootstrap, which builds 2.8.0 into .deps/librdkafka, and rebuild"
            )
        }
    }
}
