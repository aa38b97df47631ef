import Testing

@testable import ResonanceKafka

@Suite("librdkafka version")
struct LibraryVersionTests {
    @Test("decodes librdkafka's 0xMMmmrrxx integer")
    func decodes() {
        #expect(KafkaLibraryVersion(encoded: 0x0208_00ff) == KafkaLibraryVersion(major: 2, minor: 8, patch: 0))
        #expect(KafkaLibraryVersion(encoded: 0x0200_02ff).description == "2.0.2")
    }

    @Test("orders versions so 2.0.2 is refused and 2.8.0 accepted")
    func orders() {
        #expect(KafkaLibraryVersion(major: 2, minor: 0, patch: 2) < KafkaLibrary.minimumVersion)
        #expect(KafkaLibraryVersion(major: 2, minor: 8, patch: 0) >= KafkaLibrary.minimumVersion)
        #expect(KafkaLibraryVersion(major: 2, minor: 1, patch: 9) < KafkaLibraryVersion(major: 2, minor: 2, patch: 0))
    }

    @Test("the loaded library is the supported one")
    func loaded() throws {
        #expect(KafkaLibrary.loadedVersion >= KafkaLibrary.minimumVersion)
        try KafkaLibrary.requireSupportedVersion()
    }
}
