import Foundation

/// A buffered writer of bytes to a file or standard output: one write per megabyte rather than
/// one per line.
public final class ByteOutput {
    private let handle: FileHandle
    private let closeAtEnd: Bool
    private var buffer: [UInt8] = []
    private let flushThreshold = 1 << 20

    /// Writes to `path`, created or truncated; `-` is standard output.
    public init(path: String) throws {
        if path == "-" {
            handle = FileHandle.standardOutput
            closeAtEnd = false
        } else {
            // Opened in place, never replaced: `FileManager.createFile` writes a temporary file and
            // renames it over the path, which turns /dev/null, a FIFO or a symlink into a plain file.
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                throw LineReaderError(message: "cannot write '\(path)': \(reason) (check that its directory exists and is writable)")
            }
            handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            closeAtEnd = true
        }
        buffer.reserveCapacity(flushThreshold + 4096)
    }

    /// Appends bytes and a newline.
    public func writeLine<Bytes: Sequence<UInt8>>(_ bytes: Bytes) throws {
        buffer.append(contentsOf: bytes)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Writes out what is buffered.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file (standard output stays open).
    public func close() throws {
        try flush()
        if closeAtEnd { try handle.close() }
    }
}
