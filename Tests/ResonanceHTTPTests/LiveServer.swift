import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Logging
import ResonanceHTTP
import Synchronization

/// The API on a real socket for the tests: served on a free port of 127.0.0.1 while `body` runs,
/// and asked with Foundation's HTTP client. (Hummingbird's own test client would bring an HTTP
/// client with TLS into the build, and with it BoringSSL, for nothing these tests use.)
struct LiveServer {
    /// One answer.
    struct Response {
        var status: HTTPResponse.Status
        var contentType: String?
        var body: Data
    }

    struct ServerFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The port the server listens on.
    let port: Int

    /// Serves `context`'s API while `body` runs.
    static func with<T: Sendable>(_ context: ServerContext, _ body: @Sendable (LiveServer) async throws -> T) async throws -> T {
        let bound = Mutex<Int?>(nil)
        var logger = Logger(label: "resonance.test.http")
        // Cancelling the server at the end is reported as an error ("already closed"): not one here.
        logger.logLevel = .critical
        let app = Application(
            router: APIRouter.make(context),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in bound.withLock { $0 = channel.localAddress?.port } },
            logger: logger)
        let failure = Mutex<String?>(nil)
        let server = Task {
            do {
                try await app.runService(gracefulShutdownSignals: [])
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
        }
        defer { server.cancel() }
        // No deadline: the whole suite shares two cooperative threads, and a test that blocks one
        // for a minute (a subprocess, a broker run) delays the server's start, not breaks it.
        while bound.withLock({ $0 }) == nil {
            if let failure = failure.withLock({ $0 }) { throw ServerFailure(message: "the test server did not start: \(failure)") }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await body(LiveServer(port: bound.withLock { $0 }!))
    }

    /// GETs `path`.
    func get(_ path: String) async throws -> Response {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        // The handlers run on the cooperative threads, which other tests may hold for a while.
        request.timeoutInterval = 600
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        return Response(
            status: HTTPResponse.Status(code: http.statusCode), contentType: http.value(forHTTPHeaderField: "Content-Type"),
            body: data)
    }
}
