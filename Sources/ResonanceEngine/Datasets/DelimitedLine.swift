/// Splits one line of CSV or TSV into fields. CSV fields may be quoted ("a,b" and "" for a quote);
/// a quoted field that spans lines is not supported and is reported.
enum DelimitedLine {
    static func split(_ line: Substring, separator: Character) throws(DelimitedLineError) -> [Substring] {
        guard line.contains("\"") else {
            return line.split(separator: separator, omittingEmptySubsequences: false)
        }
        var fields: [Substring] = []
        var current = ""
        var inQuotes = false
        var index = line.startIndex
        var wasQuoted = false
        while index < line.endIndex {
            let character = line[index]
            if inQuotes {
                if character == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex, line[next] == "\"" {
                        current.append("\"")
                        index = next
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" && current.isEmpty && !wasQuoted {
                inQuotes = true
                wasQuoted = true
            } else if character == separator {
                fields.append(Substring(current))
                current = ""
                wasQuoted = false
            } else {
                current.append(character)
            }
            index = line.index(after: index)
        }
        guard !inQuotes else { throw DelimitedLineError() }
        fields.append(Substring(current))
        return fields
    }
}

/// A quoted field was not closed on its line.
struct DelimitedLineError: Error {}
