import TOMLKit

/// Reads one table of a TOML file strictly: every value must have the expected type, and keys
/// nobody asked for are reported, so a misspelt key fails at start instead of being ignored.
struct TOMLSection {
    let table: TOMLTable
    /// `file: section`, for messages.
    let origin: String
    let path: String
    private(set) var used: Set<String> = []

    init(table: TOMLTable, origin: String, path: String) {
        self.table = table
        self.origin = origin
        self.path = path
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func wrongType(_ key: String, _ expected: String) -> ConfigurationError {
        ConfigurationError("\(origin): '\(name(key))' must be \(expected)")
    }

    mutating func string(_ key: String) throws(ConfigurationError) -> String? {
        used.insert(key)
        guard let value = table[key] else { return nil }
        guard let string = value.string else { throw wrongType(key, "a string") }
        return string
    }

    mutating func int(_ key: String) throws(ConfigurationError) -> Int? {
        used.insert(key)
        guard let value = table[key] else { return nil }
        guard let int = value.int else { throw wrongType(key, "an integer") }
        return int
    }

    mutating func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        used.insert(key)
        guard let value = table[key] else { return nil }
        guard let bool = value.bool else { throw wrongType(key, "true or false") }
        return bool
    }

    mutating func double(_ key: String) throws(ConfigurationError) -> Double? {
        used.insert(key)
        guard let value = table[key] else { return nil }
        if let double = value.double { return double }
        if let int = value.int { return Double(int) }
        throw wrongType(key, "a number")
    }

    mutating func strings(_ key: String) throws(ConfigurationError) -> [String]? {
        used.insert(key)
        guard let value = table[key] else { return nil }
        if let single = value.string { return [single] }
        guard let array = value.array else { throw wrongType(key, "an array of strings") }
        var result: [String] = []
        for element in array {
            guard let string = element.string else { throw wrongType(key, "an array of strings") }
            result.append(string)
        }
        return result
    }

    mutating func section(_ key: String) throws(ConfigurationError) -> TOMLSection? {
        used.insert(key)
        guard let value = table[key] else { return nil }
        guard let table = value.table else { throw wrongType(key, "a table ([\(name(key))])") }
        return TOMLSection(table: table, origin: origin, path: name(key))
    }

    /// Every key of the table as a string (for pass-through maps such as librdkafka properties).
    mutating func stringMap() throws(ConfigurationError) -> [String: String] {
        var result: [String: String] = [:]
        for key in table.keys {
            used.insert(key)
            guard let value = table[key] else { continue }
            if let string = value.string {
                result[key] = string
            } else if let int = value.int {
                result[key] = String(int)
            } else if let bool = value.bool {
                result[key] = bool ? "true" : "false"
            } else if let double = value.double {
                result[key] = String(double)
            } else {
                throw wrongType(key, "a string, number or boolean")
            }
        }
        return result
    }

    /// Throws for the first key that was never read.
    func rejectUnknownKeys(known extra: Set<String> = []) throws(ConfigurationError) {
        for key in table.keys.sorted() where !used.contains(key) && !extra.contains(key) {
            throw ConfigurationError("\(origin): unknown key '\(name(key))'; docs/CONFIGURATION.md lists the configuration keys")
        }
    }
}
