import Foundation
import ResonanceEngine
import ResonanceModel
import Testing
import ResonanceTestSupport

@Suite("Configuration")
struct ConfigurationTests {
    @Test("the shipped config/resonance.toml parses and holds exactly the code's defaults")
    func shippedFileIsTheDefaults() throws {
        var configuration = ResonanceConfiguration()
        try configuration.apply(file: TestPaths.packageRoot.appendingPathComponent("config/resonance.toml").path)
        #expect(configuration == ResonanceConfiguration())
    }

    @Test("every section and key is read, with integers accepted as model numbers")
    func readsSections() throws {
        var configuration = ResonanceConfiguration()
        try configuration.apply(toml: """
            log_level = "debug"
            processing_threads = 3
            [kafka]
            brokers = "k1:9092,k2:9092"
            input_topics = ["a", "b"]
            output_topic = "s"
            [kafka.properties]
            "security.protocol" = "SASL_SSL"
            "socket.timeout.ms" = 5000
            [publish]
            step = 0.5
            interval_seconds = 2
            [state]
            dir = "/var/lib/resonance"
            [model]
            half_life_days = 45
            long_lasting_actions = []
            [model.action_weights]
            like = 1
            boost = 3.5
            """, origin: "test")
        #expect(configuration.logLevel == "debug")
        #expect(configuration.processingThreads == 3 && configuration.resolvedProcessingThreads == 3)
        #expect(configuration.kafka.brokers == "k1:9092,k2:9092")
        #expect(configuration.kafka.inputTopics == ["a", "b"])
        #expect(configuration.kafka.properties == ["security.protocol": "SASL_SSL", "socket.timeout.ms": "5000"])
        #expect(configuration.publishing.step == 0.5)
        #expect(configuration.publishing.minimumInterval == .seconds(2))
        #expect(configuration.state.directory == "/var/lib/resonance")
        #expect(configuration.model.halfLifeDays == 45)
        #expect(configuration.model.actionWeights == ["like": 1, "boost": 3.5])
        #expect(configuration.model.longLastingActions.isEmpty)
        // Keys the file leaves out keep their defaults.
        var expected = ModelConfiguration()
        expected.halfLifeDays = 45
        expected.actionWeights = ["like": 1, "boost": 3.5]
        expected.longLastingActions = []
        #expect(configuration.model == expected)
    }

    @Test("a misspelt key, a wrong type or a bad value is an error naming the key", arguments: [
        ("[kafka]\nbrokr = \"x\"", "kafka.brokr"),
        ("[kafka]\npartitions = \"four\"", "kafka.partitions"),
        ("[model]\nhalf_life_dayz = 3", "model.half_life_dayz"),
        ("[publish]\nstep = -1", "publish.step"),
        ("log_level = \"loud\"", "log_level"),
        ("processing_threads = -1", "processing_threads"),
        ("[kafka\n", "not valid TOML"),
    ])
    func rejectsBadKeys(_ text: String, _ named: String) {
        var configuration = ResonanceConfiguration()
        #expect {
            try configuration.apply(toml: text, origin: "test.toml")
        } throws: { error in
            (error as? ConfigurationError)?.message.contains(named) == true
        }
    }

    @Test("environment variables override the file; validation names the variable")
    func environment() throws {
        var configuration = ResonanceConfiguration()
        try configuration.apply(toml: "[kafka]\nbrokers = \"from-file:9092\"\ngroup = \"g\"", origin: "test")
        try configuration.apply(environment: [
            "RESONANCE_BROKERS": "from-env:9092", "RESONANCE_INPUT_TOPICS": "x,y", "RESONANCE_PROCESSING_THREADS": "2",
        ])
        #expect(configuration.processingThreads == 2)
        #expect(configuration.kafka.brokers == "from-env:9092")
        #expect(configuration.kafka.group == "g")
        #expect(configuration.kafka.inputTopics == ["x", "y"])
        #expect(throws: ConfigurationError.self) {
            try configuration.apply(environment: ["RESONANCE_HTTP_PORT": "eighty"])
        }
    }
}
