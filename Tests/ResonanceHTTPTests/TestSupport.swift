import Foundation
import ResonanceEngine

/// Paths and settings the tests share.
enum TestSupport {
    /// The package root (the directory holding Package.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The Twitter15/16 cascades in `shared/data/` beside the clone.
    static let twitterEvents = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/data/twitter1516_events.csv.gz").path

    /// The real broker for integration tests, from `RESONANCE_TEST_BROKERS`; `nil` disables them.
    static let brokers: String? = ProcessInfo.processInfo.environment["RESONANCE_TEST_BROKERS"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// Headless Chromium, when installed (Debian's `chromium`).
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Python 3, for its standard library's zlib (reading PNG screenshots).
    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// A name no other test or run uses.
    static func unique(_ purpose: String) -> String {
        "resonance-http-test-\(purpose)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// The first `limit` data rows of the Twitter15/16 file as contract-v1 events.
    static func twitterEvents(rows limit: Int) throws -> [EncodedEvent] {
        let reader = try LineReader(path: twitterEvents)
        var converter = DatasetConverter(format: .twitter1516)
        var events: [EncodedEvent] = []
        var rows = 0
        struct Done: Error {}
        do {
            try reader.forEachLine { line in
                if rows > limit { throw Done() }
                let text = String(decoding: line, as: UTF8.self)
                try? converter.convert(line: Substring(text), number: reader.lineNumber, into: &events)
                rows += 1
            }
        } catch is Done {}
        return events
    }

    /// A free TCP port on loopback (bound, read and released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
