import Foundation

/// Reads a text file, standard input, or a gzip file (through `gzip -dc`) line by line in large
/// chunks, so that a million-line replay does not cost a system call per line.
public final class LineReader {
    private let handle: FileHandle
    private let decompressor: Process?
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// The 1-based number of the line most recently returned.
    public private(set) var lineNumber = 0

    /// Opens `path`; `-` is standard input, and a path ending in `.gz` is decompressed.
    public init(path: String) throws {
        if path == "-" {
            handle = FileHandle.standardInput
            decompressor = nil
        } else {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw LineReaderError(message: "cannot read '\(path)': no such file, or no permission")
            }
            if path.hasSuffix(".gz") {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["gzip", "-dc", path]
                let pipe = Pipe()
                process.standardOutput = pipe
                try process.run()
                handle = pipe.fileHandleForReading
                decompressor = process
            } else {
                guard let opened = FileHandle(forReadingAtPath: path) else {
                    throw LineReaderError(message: "cannot open '\(path)'")
                }
                handle = opened
                decompressor = nil
            }
        }
    }

    /// Calls `body` with each line (without its newline) as UTF-8 bytes, in order; the bytes are
    /// valid only during the call.
    public func forEachLine(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                lineNumber += 1
                try buffer.withUnsafeBytes { all in
                    try body(UnsafeRawBufferPointer(rebasing: all[start..<newline]))
                }
                start = newline + 1
                continue
            }
            if atEnd {
                if start < buffer.count {
                    lineNumber += 1
                    try buffer.withUnsafeBytes { all in
                        try body(UnsafeRawBufferPointer(rebasing: all[start...]))
                    }
                }
                break
            }
            buffer.removeSubrange(0..<start)
            start = 0
            let chunk = try handle.read(upToCount: 4 << 20) ?? Data()
            if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
        }
        try finish()
    }

    /// Reads the next bytes of the input into `destination`, as many as one system call gives:
    /// 0 at the end. For a caller that splits lines itself (``FileDecodeStage``), so that the
    /// bytes land where they will be decoded, with no copy in between. Call ``finish()`` after
    /// the end.
    public func read(into destination: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = destination.baseAddress, destination.count > 0 else { return 0 }
        while true {
            let got = Foundation.read(handle.fileDescriptor, base, destination.count)
            if got >= 0 { return got }
            if errno == EINTR { continue }
            throw LineReaderError(message: "cannot read the input: \(String(cString: strerror(errno)))")
        }
    }

    /// Checks, once the input has ended, that a decompressor ended well.
    public func finish() throws {
        if let decompressor {
            decompressor.waitUntilExit()
            guard decompressor.terminationStatus == 0 else {
                throw LineReaderError(message: "gzip -dc failed (status \(decompressor.terminationStatus)): the file is not valid gzip")
            }
        }
    }
}

/// A file that cannot be read, and why.
public struct LineReaderError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
