import Foundation
import Hummingbird
import ResonanceEngine

/// The HTTP routes. Each handler parses the request, asks ``InfluenceQueries`` or the readiness
/// policy, and encodes the answer: no query logic lives here.
public enum APIRouter {
    /// The router for `server`.
    public static func make(_ server: ServerContext) -> Router<BasicRequestContext> {
        let router = Router()
        let queries = server.queries

        router.get("/healthz") { _, _ in
            JSONBody.response(["status": "alive"])
        }
        router.get("/readyz") { _, _ in
            let readiness = server.readiness()
            return JSONBody.response(readiness, status: readiness.ready ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            let text = server.metrics.exposition(
                wallClock: server.clock.now(), scoreTableUsers: server.table.count, isReady: server.readiness().ready)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/v1/users/:id") { _, context in
            answer { () throws(QueryError) in try queries.user(try userID(context)) }
        }
        router.get("/v1/users/:id/engagers") { _, context in
            answer { () throws(QueryError) in try queries.engagers(of: try userID(context)) }
        }
        router.get("/v1/users/:id/topics") { _, context in
            answer { () throws(QueryError) in try queries.topics(of: try userID(context)) }
        }
        router.get("/v1/topics") { request, _ in
            answer { () throws(QueryError) in try queries.topics(limit: request.uri.queryParameters["limit"].map(String.init)) }
        }
        router.get("/v1/users/:id/history") { _, context in
            answer { () throws(QueryError) in try queries.history(of: try userID(context)) }
        }
        router.get("/v1/leaderboard") { request, _ in
            answer { () throws(QueryError) in
                let parameters = request.uri.queryParameters
                return try queries.leaderboard(
                    network: parameters["network"].map(String.init), topic: parameters["topic"].map(String.init),
                    limit: parameters["limit"].map(String.init))
            }
        }
        router.get("/v1/networks") { _, _ in
            JSONBody.response(["networks": queries.networks])
        }
        router.get("/v1/pipeline") { _, _ in
            JSONBody.response(PipelineReport(phase: server.view.phase, progress: server.view.latest, wallClock: server.clock.now()))
        }
        router.get("/v1/distribution") { request, _ in
            JSONBody.response(queries.distribution(activeOnly: request.uri.queryParameters["active"] == "true"))
        }
        for path in ["/", "/dashboard"] {
            router.get(RouterPath(path)) { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: DashboardPage.html)))
            }
        }
        return router
    }

    /// The `{id}` path segment, percent-decoded.
    private static func userID(_ context: BasicRequestContext) throws(QueryError) -> String {
        guard let raw = context.parameters.get("id"), let id = raw.removingPercentEncoding, !id.isEmpty else {
            throw QueryError(.badRequest, "the path must name a user id")
        }
        return id
    }

    private static func answer(_ body: () throws(QueryError) -> some Encodable) -> Response {
        do {
            return JSONBody.response(try body())
        } catch {
            return JSONBody.failure(error)
        }
    }
}
