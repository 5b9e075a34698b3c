extension Duration {
    /// The duration in seconds, for `Timestamp` arithmetic and for reports.
    public var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension Duration {
    /// `5 s`, `1.5 s`, `250 ms`: for messages.
    public var readable: String {
        let milliseconds = (timeInterval * 1000).rounded()
        if milliseconds < 1000 { return "\(Int64(milliseconds)) ms" }
        let seconds = milliseconds / 1000
        return seconds == seconds.rounded() ? "\(Int64(seconds)) s" : "\(seconds) s"
    }
}
