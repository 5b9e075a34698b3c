/// At most one warning per `interval` for a condition that may recur thousands of times a second (a
/// connection past the cap, a request past the in-flight limit): the first occurrence warns at once,
/// later ones are counted into the next warning.
public struct WarningThrottle: Sendable {
    public let interval: Duration
    private var next = ContinuousClock.now
    private var count = 0

    public init(every interval: Duration = .seconds(10)) { self.interval = interval }

    /// Counts an occurrence; when a warning is due, returns how many occurrences it stands for.
    public mutating func occurred() -> Int? {
        count += 1
        let now = ContinuousClock.now
        guard now >= next else { return nil }
        next = now + interval
        defer { count = 0 }
        return count
    }
}
