/// The configuration turned into the form the hot path reads: milliseconds instead of days,
/// arrays indexed by action id instead of dictionaries keyed by name.
struct ModelParameters: Sendable {
    static let millisecondsPerDay = 86_400_000.0

    let fastHalfLife: Double
    let lastingHalfLife: Double
    let pairHalfLife: Double
    /// ``ModelConfiguration/enduringHalfLifeDays`` in milliseconds.
    let enduringHalfLife: Double
    /// ``ModelConfiguration/newAccountDays`` in milliseconds.
    let newAccountAge: Double
    /// The shortest of the three: decides when sums must be rebased.
    let shortestHalfLife: Double
    /// Configured action names in UTF-8 byte order; an ``ActionID`` is an index into it.
    let actionNames: NameTable
    let actionWeights: [Double]
    let actionIsLasting: [Bool]
    let scale: ScoreScale

    init(_ configuration: ModelConfiguration) {
        fastHalfLife = configuration.halfLifeDays * ModelParameters.millisecondsPerDay
        lastingHalfLife = configuration.longLastingHalfLifeDays * ModelParameters.millisecondsPerDay
        pairHalfLife = configuration.pairMemoryHalfLifeDays * ModelParameters.millisecondsPerDay
        enduringHalfLife = configuration.enduringHalfLifeDays * ModelParameters.millisecondsPerDay
        newAccountAge = configuration.newAccountDays * ModelParameters.millisecondsPerDay
        shortestHalfLife = Swift.min(fastHalfLife, lastingHalfLife, pairHalfLife, enduringHalfLife)
        let names = configuration.actionWeights.keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        actionNames = NameTable(names)
        actionWeights = names.map { configuration.actionWeights[String(decoding: $0, as: UTF8.self)]! }
        actionIsLasting = names.map { configuration.longLastingActions.contains(String(decoding: $0, as: UTF8.self)) }
        scale = ScoreScale(configuration)
    }
}
