/// PageRank of a weighted directed graph by power iteration.
///
/// The random surfer follows an out-edge with probability `damping` (in proportion to edge
/// weights) and jumps to a uniformly random node otherwise; a node with no out-edges (a user who
/// never reacted to anyone) jumps uniformly too, so the values always sum to 1.
public struct PageRank: Sendable {
    /// One directed edge: `from` reacted to `to`, `weight` times.
    public struct Edge: Sendable, Equatable {
        /// The source node (the actor).
        public var from: Int32
        /// The destination node (the target).
        public var to: Int32
        /// How strongly `from` points at `to` (a count of reactions); positive.
        public var weight: Double

        /// An edge.
        public init(from: Int32, to: Int32, weight: Double = 1) {
            self.from = from
            self.to = to
            self.weight = weight
        }
    }

    /// The stationary probability of each node, summing to 1.
    public let values: [Double]
    /// Power iterations run.
    public let iterations: Int
    /// The L1 change of the last iteration; below the tolerance when the iteration converged.
    public let residual: Double

    /// Computes PageRank over nodes `0..<nodeCount`.
    ///
    /// - Parameters:
    ///   - damping: the probability of following an edge (0.85 in Brin and Page).
    ///   - tolerance: stop when the L1 change of one iteration falls below this.
    ///   - maxIterations: stop here even without convergence (``residual`` tells).
    public init(nodeCount: Int, edges: [Edge], damping: Double = 0.85, tolerance: Double = 1e-10, maxIterations: Int = 1000) {
        precondition(nodeCount > 0 || edges.isEmpty, "PageRank: edges without nodes")
        precondition((0...1).contains(damping), "PageRank: damping must be in 0...1")
        guard nodeCount > 0 else {
            values = []
            iterations = 0
            residual = 0
            return
        }
        var outWeight = [Double](repeating: 0, count: nodeCount)
        for edge in edges { outWeight[Int(edge.from)] += edge.weight }
        // The share of a node's rank each of its edges carries, computed once.
        let share = edges.map { $0.weight / outWeight[Int($0.from)] }
        let uniform = 1 / Double(nodeCount)
        var rank = [Double](repeating: uniform, count: nodeCount)
        var next = [Double](repeating: 0, count: nodeCount)
        var iteration = 0
        var change = Double.infinity
        while iteration < maxIterations && change >= tolerance {
            var dangling = 0.0
            for node in 0..<nodeCount where outWeight[node] == 0 { dangling += rank[node] }
            let base = (1 - damping) * uniform + damping * dangling * uniform
            for node in 0..<nodeCount { next[node] = base }
            for (index, edge) in edges.enumerated() {
                next[Int(edge.to)] += damping * rank[Int(edge.from)] * share[index]
            }
            change = 0
            for node in 0..<nodeCount { change += abs(next[node] - rank[node]) }
            swap(&rank, &next)
            iteration += 1
        }
        values = rank
        iterations = iteration
        residual = change
    }
}
