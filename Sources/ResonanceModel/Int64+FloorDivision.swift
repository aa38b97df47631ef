extension Int64 {
    /// The quotient rounded toward minus infinity (Swift's `/` rounds toward zero): the period of
    /// length `divisor` an event time falls in, before 1970 as after.
    @inlinable
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return self % divisor < 0 ? quotient - 1 : quotient
    }
}
