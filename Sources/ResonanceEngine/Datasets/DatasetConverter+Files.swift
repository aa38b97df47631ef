extension DatasetConverter {
    /// Converts the rows of the files at `paths` (a `.gz` is decompressed) into contract-v1 events,
    /// in file order. A row the converter rejects is passed to `rejected` with its file, and
    /// conversion goes on: bad rows never stop a load.
    public static func events(
        fromFiles paths: [String], format: DatasetFormat, mapping: ColumnMapping,
        rejected: (_ path: String, _ error: any Error) -> Void
    ) throws -> [EncodedEvent] {
        var events: [EncodedEvent] = []
        for path in paths {
            var converter = DatasetConverter(format: format, mapping: mapping)
            let reader = try LineReader(path: path)
            try reader.forEachLine { line in
                do {
                    try converter.convert(line: Substring(decoding: line, as: UTF8.self), number: reader.lineNumber, into: &events)
                } catch {
                    rejected(path, error)
                }
            }
        }
        return events
    }
}
