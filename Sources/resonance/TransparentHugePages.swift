#if canImport(Glibc)
import Glibc

/// Asks glibc to back the heap with transparent huge pages, by restarting the process once with
/// `GLIBC_TUNABLES=glibc.malloc.hugetlb=1` (glibc reads tunables only at start).
///
/// Why: the partition states' tables get huge pages of their own (`PageMemory` in the model),
/// but the rest of the heap is large too and read at random: the global score table, the
/// standings table, librdkafka's buffers. With 4 KiB pages nearly every such access is also a
/// TLB miss, which under a hypervisor costs a two-dimensional page walk. On a kernel whose THP
/// mode is `madvise` (Debian's and most distributions' default) nothing else turns huge pages on
/// for malloc's memory. (glibc marks its main arena; threads' arenas and large blocks, which
/// `mmap` serves one by one, stay on small pages.)
///
/// Nothing is done when THP is `always` (already on) or `never`, when glibc is older than 2.35
/// (no such tunable), or when `GLIBC_TUNABLES` already says anything about `glibc.malloc.hugetlb`:
/// set `GLIBC_TUNABLES=glibc.malloc.hugetlb=0` to opt out. If the restart fails, the process goes
/// on as it is.
enum TransparentHugePages {
    static let tunable = "glibc.malloc.hugetlb"

    static func requestFromGlibc() {
        let existing = getenv("GLIBC_TUNABLES").map { String(cString: $0) }
        guard existing?.contains(tunable) != true, kernelMode() == "madvise", glibcHasTunable() else { return }
        let value = existing.map { $0.isEmpty ? "\(tunable)=1" : "\($0):\(tunable)=1" } ?? "\(tunable)=1"
        guard setenv("GLIBC_TUNABLES", value, 1) == 0 else { return }
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached if the restart failed: carry on without huge pages.
        unsetenv("GLIBC_TUNABLES")
        if let existing { setenv("GLIBC_TUNABLES", existing, 1) }
    }

    /// The bracketed word of /sys/kernel/mm/transparent_hugepage/enabled: always, madvise or never.
    static func kernelMode() -> String? {
        guard let file = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 128)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        let text = String(cString: buffer)
        guard let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "]") else { return nil }
        return String(text[text.index(after: open)..<close])
    }

    /// glibc 2.35 introduced the tunable; older ones ignore it, so there is no point restarting.
    static func glibcHasTunable() -> Bool {
        // "glibc 2.36"
        var buffer = [CChar](repeating: 0, count: 64)
        guard confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count) > 0 else { return false }
        let version = String(cString: buffer).split(separator: " ").last ?? ""
        let parts = version.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return false }
        return parts[0] > 2 || (parts[0] == 2 && parts[1] >= 35)
    }
}
#else
enum TransparentHugePages {
    static func requestFromGlibc() {}
}
#endif
