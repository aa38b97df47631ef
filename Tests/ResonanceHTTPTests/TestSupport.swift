import Foundation
import ResonanceEngine

/// Paths and settings the tests share.
enum TestSupport {
    /// The package root (the directory holding Package.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The Twitter15/16 cascades the repository carries in `data/`.
    static let twitterEvents = packageRoot.appendingPathComponent("data/twitter1516_events.csv.gz").path

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

extension TestSupport {
    /// `GET path` on 127.0.0.1:`port` over a plain socket (HTTP/1.1, `Connection: close`): the
    /// status code and body, or `nil` when nothing accepts the connection.
    static func get(_ path: String, port: Int) -> (status: Int, body: String)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { return nil }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response.append(contentsOf: buffer[0..<count])
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let statusLine = text.split(separator: "\r\n").first, let code = statusLine.split(separator: " ").dropFirst().first,
            let status = Int(code), let split = text.range(of: "\r\n\r\n")
        else { return nil }
        return (status, String(text[split.upperBound...]))
    }
}
