import Foundation
import ResonanceEngine
import Testing
import ResonanceTestSupport

/// `resonance` restarts itself once at launch with `glibc.malloc.hugetlb=1` where that helps
/// (docs/OPERATIONS.md, "Memory: transparent huge pages"), keeps working after the restart, and
/// leaves an operator's own `glibc.malloc.hugetlb` setting alone.
@Suite("Transparent huge pages at launch")
struct HugePagesLaunchTests {
    /// Whether this machine is one where the restart applies: THP `madvise`, glibc ≥ 2.35.
    static var restartApplies: Bool {
        guard let mode = try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8),
            mode.contains("[madvise]")
        else { return false }
        var buffer = [CChar](repeating: 0, count: 64)
        guard confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count) > 0 else { return false }
        let parts = (String(cString: buffer).split(separator: " ").last ?? "").split(separator: ".").compactMap { Int($0) }
        return parts.count >= 2 && (parts[0] > 2 || (parts[0] == 2 && parts[1] >= 35))
    }

    /// Runs `resonance run --input -` with `GLIBC_TUNABLES` set to `tunables` (or unset), counts
    /// the process's memory mappings that malloc marked for huge pages (`hg` in the kernel's
    /// VmFlags: what `glibc.malloc.hugetlb=1` does), then feeds it one event and returns the count
    /// and what it printed.
    static func launch(tunables: String?) throws -> (hugePageMappings: Int, output: String) {
        var marked = 0
        let event = EventJSON.reaction(id: "e1", network: "twitter", time: 1_700_000_000_000, action: "reshare",
                                       actor: "alice", target: "bob")
        let run = try ResonanceProcess.pipe(
            ["run", "--input", "-", "--output", "-"], input: Data(event.value) + Data("\n".utf8),
            environment: ["GLIBC_TUNABLES": tunables]
        ) { pid in
            // The restart happens before anything else; give the scorer a moment to start and
            // wait on its input.
            Thread.sleep(forTimeInterval: 1.5)
            let maps = try String(contentsOfFile: "/proc/\(pid)/smaps", encoding: .utf8)
            marked = maps.split(separator: "\n").filter { $0.hasPrefix("VmFlags:") && $0.split(separator: " ").contains("hg") }.count
        }
        #expect(run.status == 0)
        return (marked, run.output)
    }

    @Test("without a setting, malloc asks for huge pages where THP is madvise, and the scorer still scores")
    func restarts() throws {
        let (marked, output) = try Self.launch(tunables: nil)
        if Self.restartApplies {
            #expect(marked >= 1)
        } else {
            #expect(marked == 0)
        }
        #expect(output.contains("\"user\":\"bob\""))
    }

    @Test("an operator's other tunables do not stop it, and glibc.malloc.hugetlb=0 opts out")
    func respectsOperator() throws {
        let withOther = try Self.launch(tunables: "glibc.malloc.arena_max=2")
        #expect((withOther.hugePageMappings >= 1) == Self.restartApplies)
        #expect(withOther.output.contains("\"user\":\"bob\""))
        let optOut = try Self.launch(tunables: "glibc.malloc.hugetlb=0")
        #expect(optOut.hugePageMappings == 0)
        #expect(optOut.output.contains("\"user\":\"bob\""))
    }
}
