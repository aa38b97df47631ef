// Measures what a tracked user costs in memory, and how long a snapshot takes, at 1,000,000 and
// 10,000,000 users: `swift run -c release --scratch-path ../.build-bench MemoryFootprint [users…]`.
//
// Each user is interned with an id like a numeric platform id (`user-1234567`) and reshared once by
// another user, so it has a user record, one network record, a directory entry and its id bytes.
// Memory is the growth of the resident set (from /proc/self/statm) over building the state, divided
// by the user count. It includes the anti-gaming memories (dedupe window, undo log, pair memory):
// they grow with the events, to their full 60 MB by about a million of them, so they add about
// 60 bytes per user at 1,000,000 users and 6 at 10,000,000.
import Foundation
import ResonanceModel

func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func measure(users: Int) throws {
    var state = try InfluenceState(configuration: ModelConfiguration())
    let twitter = state.internNetwork(named: "twitter")!
    let reshare = state.action(named: "reshare")!
    let before = residentBytes()
    var random: UInt64 = 0x9E37_79B9_7F4A_7C15
    let build = try seconds {
        var id = Array("user-".utf8)
        for index in 0..<users {
            id.removeLast(id.count - 5)
            id.append(contentsOf: String(index).utf8)
            let target = id.withUnsafeBytes { state.intern(userID: $0)! }
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let actor = UserHandle(rawValue: UInt32(Int(random >> 33) % (index + 1)))
            let reaction = Reaction(idHash: UInt64(index) &* 0x9E37_79B9_7F4A_7C15, time: 1_704_067_200_000 + Int64(index),
                                    network: twitter, action: reshare, actor: actor, target: target)
            _ = state.apply(.reaction(reaction)) { _ in nil }
        }
    }
    let after = residentBytes()
    let perUser = Double(after - before) / Double(users)
    var snapshot = state
    let copy = seconds { snapshot = state }
    var serializedBytes = 0
    let serialize = seconds { snapshot.serialize { serializedBytes += $0.count } }
    var buffer: [UInt8] = []
    buffer.reserveCapacity(serializedBytes)
    snapshot.serialize { buffer.append(contentsOf: $0) }
    var restored: InfluenceState?
    let restore = try seconds {
        restored = try buffer.withUnsafeBytes {
            try InfluenceState(deserializing: $0, configuration: ModelConfiguration(), concurrently: Restore.onAnotherThread)
        }
    }
    precondition(restored!.trackedUserCount == state.trackedUserCount)
    print(String(format: "%11d users: %.1f bytes resident per tracked user (build %.1f s); snapshot copy %.3f ms, "
        + "serialize %.2f s (%.0f MB), restore %.2f s", users, perUser, build, copy * 1000, serialize,
        Double(serializedBytes) / 1e6, restore))
}

let counts = CommandLine.arguments.dropFirst().compactMap { Int($0) }
for users in counts.isEmpty ? [1_000_000, 10_000_000] : counts {
    try measure(users: users)
}

/// As the engine restores snapshots: the user records decoded on another thread. (A static, so
/// that it is made on first use: top-level globals of main.swift are set in order, after the calls above.)
enum Restore {
    static let onAnotherThread = Concurrently { work in
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            work()
            done.signal()
        }
        let waited = WaitedOnce()
        return {
            if waited.first() { done.wait() }
        }
    }
}

/// True the first time only; used by the one thread that restores.
final class WaitedOnce: @unchecked Sendable {
    private var waited = false
    func first() -> Bool {
        defer { waited = true }
        return !waited
    }
}
