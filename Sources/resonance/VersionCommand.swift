import ArgumentParser
import ResonanceKafka

/// `resonance version`: prints the librdkafka this binary loaded and checks it is supported.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the loaded librdkafka version and check that it is supported."
    )

    func run() throws {
        print("librdkafka \(KafkaLibrary.loadedVersion)")
        do {
            try KafkaLibrary.requireSupportedVersion()
        } catch {
            throw ValidationError(error.message)
        }
    }
}
