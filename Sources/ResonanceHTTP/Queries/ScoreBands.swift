/// The answer of `GET /v1/distribution`: how many users have a score in each band.
public struct ScoreBands: Sendable, Equatable, Codable {
    /// One band of scores, `lower < score ≤ upper` (the first band includes its lower end).
    public struct Bin: Sendable, Equatable, Codable {
        /// Lower end.
        public var lower: Double
        /// Upper end.
        public var upper: Double
        /// Users in the band.
        public var count: Int
    }

    /// The bands, lowest first, covering 0–100.
    public var bins: [Bin]
    /// Users counted.
    public var users: Int
    /// When only active users are counted: those whose latest change is at most this many days
    /// older than the newest change seen.
    public var activeWithinDays: Double?

    /// Counts `scores` into `binCount` equal bands of 0–100.
    public init(scores: some Sequence<Double>, binCount: Int = 20) {
        let width = 100.0 / Double(binCount)
        var counts = Array(repeating: 0, count: binCount)
        var users = 0
        for score in scores where score.isFinite {
            let index = min(binCount - 1, max(0, Int((score / width).rounded(.up)) - 1))
            counts[index] += 1
            users += 1
        }
        bins = counts.enumerated().map { index, count in
            Bin(lower: Double(index) * width, upper: Double(index + 1) * width, count: count)
        }
        self.users = users
    }
}
