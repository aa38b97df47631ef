/// A min-heap of (event time, user) pairs: when each user's score will have decayed a publishing
/// step below the value last published. The publisher pops what the watermark has passed, so
/// decay-only changes cost O(log n) per change, never a sweep over all users.
struct DecayCrossingQueue {
    private var heap: [(time: Int64, user: UInt32)] = []

    var count: Int { heap.count }

    /// The earliest entry, if any.
    var first: (time: Int64, user: UInt32)? { heap.first }

    mutating func push(time: Int64, user: UInt32) {
        heap.append((time, user))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].time < heap[parent].time else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popFirst() -> (time: Int64, user: UInt32)? {
        guard !heap.isEmpty else { return nil }
        let first = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count, heap[left].time < heap[smallest].time { smallest = left }
                if right < heap.count, heap[right].time < heap[smallest].time { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }

    mutating func removeAll() {
        heap.removeAll()
    }
}
