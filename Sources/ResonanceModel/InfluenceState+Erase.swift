/// Erasing a user: every trace of them leaves this state.
extension InfluenceState {
    /// Removes a user known only by id (for instance from a tombstone on the scores topic, when the
    /// user's own partition erased them): their records, their id bytes, their appearances as a top
    /// engager, their remembered pairs and undoable reactions. Returns false when the id is not
    /// interned here.
    @discardableResult
    public mutating func forgetUser(id: UnsafeRawBufferPointer) -> Bool {
        guard let handle = directory.lookup(id) else { return false }
        forget(handle)
        return true
    }

    /// Removes a user known only by id given as a string.
    @discardableResult
    public mutating func forgetUser(id: String) -> Bool {
        var copy = id
        return copy.withUTF8 { forgetUser(id: UnsafeRawBufferPointer($0)) }
    }

    /// Removes every trace of a handle. Aggregate sums other users received from them stay (they
    /// are anonymous numbers); everything that names them goes. The sweep over top-engager lists
    /// is O(users), acceptable for erasure, which is rare; it writes only the pages that name them.
    mutating func forget(_ user: UserHandle) {
        let index = Int(user.rawValue)
        guard index < users.count, users[index].flags & UserRecord.erasedBit == 0 else { return }
        var link = users[index].firstNetwork
        while link != 0 {
            let next = networkRecords[Int(link - 1)].next
            networkRecords[Int(link - 1)] = NetworkRecord()
            link = next
        }
        if users[index].isTracked { trackedUserCount -= 1 }
        var erased = UserRecord()
        erased.flags = UserRecord.erasedBit
        users[index] = erased
        directory.remove(index)
        for other in 0..<users.count where users[other].firstNetwork != 0 {
            let record = users[other]
            if record.topEngager0 == user.rawValue + 1 || record.topEngager1 == user.rawValue + 1
                || record.topEngager2 == user.rawValue + 1 || record.topEngager3 == user.rawValue + 1
            {
                users[other].removeEngager(user.rawValue)
            }
        }
        forgetTopics(of: user)
        pairs.removeAll(involving: user)
        for slot in 0..<undoEntries.count {
            let entry = undoEntries[slot]
            if entry.generation != 0 && (entry.actor == user.rawValue || entry.target == user.rawValue) {
                undoEntries[slot] = UndoEntry()
            }
        }
    }
}
