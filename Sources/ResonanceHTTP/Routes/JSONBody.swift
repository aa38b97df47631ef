import Foundation
import Hummingbird

/// JSON responses with one encoder: snake_case keys (like the configuration file and the event
/// contract), sorted keys (stable output for tests and diffs), and errors as
/// `{"error": {"code", "message"}}`.
enum JSONBody {
    private struct ErrorBody: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
        }
        var error: Detail
    }

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        // A NaN or infinite figure must not turn a whole answer into a 500.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// `value` as a JSON response with `status`.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        do {
            let data = try encoder().encode(value)
            return Response(
                status: status, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            return failure(.internalServerError, code: "internal", message: "cannot encode the answer: \(error)")
        }
    }

    /// A JSON error response.
    static func failure(_ status: HTTPResponse.Status, code: String, message: String) -> Response {
        let body = ErrorBody(error: .init(code: code, message: message))
        let data = (try? encoder().encode(body)) ?? Data("{\"error\":{\"code\":\"internal\"}}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The response for a ``QueryError``: 404 for unknown users, 400 for bad parameters.
    static func failure(_ error: QueryError) -> Response {
        switch error.code {
        case .notFound: failure(.notFound, code: error.code.rawValue, message: error.message)
        case .badRequest: failure(.badRequest, code: error.code.rawValue, message: error.message)
        }
    }
}
