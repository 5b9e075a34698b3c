import Foundation

/// RFC 3339 times as the wire contract spells them: UTC, `Z`, milliseconds.
public enum Timestamp {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    /// Formats `date` as e.g. `2026-11-29T06:00:00.123Z`.
    public static func format(_ date: Date) -> String {
        date.formatted(withFraction)
    }

    /// Parses an RFC 3339 time with or without fractional seconds, in UTC or with an offset.
    public static func parse(_ text: String) -> Date? {
        if let date = try? withFraction.parse(text) { return date }
        if let date = try? withoutFraction.parse(text) { return date }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return nil
    }
}
