/// A record that keeps its top engagers in a few fixed slots: ``UserRecord`` for the overall
/// score, ``TopicSlot`` for one topic. The space-saving rule that keeps the heavy hitters lives
/// here, once.
protocol TopEngagerList {
    /// How many engagers the record keeps.
    static var engagerCount: Int { get }
    /// Slot `index`: the engager's handle + 1 (0 for an empty slot) and landmark-relative contribution.
    func engager(_ index: Int) -> (handle: UInt32, contribution: Double)
    mutating func setEngager(_ index: Int, handle: UInt32, contribution: Double)
}

extension TopEngagerList {
    /// Credits `contribution` to `actor`'s entry, or gives the actor the weakest entry when it
    /// out-contributes it (space-saving style: the list keeps the heavy hitters).
    mutating func creditEngager(_ actor: UInt32, _ contribution: Double) {
        var weakest = 0
        for slot in 0..<Self.engagerCount {
            let entry = engager(slot)
            if entry.handle == actor + 1 {
                setEngager(slot, handle: entry.handle, contribution: entry.contribution + contribution)
                return
            }
            let current = engager(weakest)
            if current.handle != 0 && (entry.handle == 0 || entry.contribution < current.contribution) { weakest = slot }
        }
        let current = engager(weakest)
        if current.handle == 0 || current.contribution < contribution {
            setEngager(weakest, handle: actor + 1, contribution: contribution)
        }
    }

    /// Takes back a credit (an undo); the entry is dropped when nothing is left.
    mutating func debitEngager(_ actor: UInt32, _ contribution: Double) {
        for slot in 0..<Self.engagerCount where engager(slot).handle == actor + 1 {
            let remaining = engager(slot).contribution - contribution
            if remaining > 0 {
                setEngager(slot, handle: actor + 1, contribution: remaining)
            } else {
                setEngager(slot, handle: 0, contribution: 0)
            }
        }
    }

    /// Drops `actor` from the top engagers (an erase); returns whether it was there.
    @discardableResult
    mutating func removeEngager(_ actor: UInt32) -> Bool {
        var found = false
        for slot in 0..<Self.engagerCount where engager(slot).handle == actor + 1 {
            setEngager(slot, handle: 0, contribution: 0)
            found = true
        }
        return found
    }
}
