#if canImport(Glibc)
import Glibc
#endif

/// A debug build's clock moved by whole days, from `BANSHI_TEST_CLOCK_OFFSET_DAYS`: the services and the
/// tests then run as they will on that later (or earlier) day, with everything else real.
/// `scripts/test-dates.sh` runs the suite so, to find what a date in a test or in the shipped yearly data
/// will break before the calendar gets there.
///
/// A release build has no such switch: its `Timestamp()` is the system's clock, and the variable, if set,
/// only earns a warning at start.
public enum TestClockOffset {
    /// The variable's name.
    public static let variable = "BANSHI_TEST_CLOCK_OFFSET_DAYS"

    /// What the environment says: unset, a whole number of days, or text that is not one.
    public enum Setting: Equatable, Sendable {
        case unset
        case days(Int)
        case invalid(String)
    }

    public static let setting: Setting = {
        guard let raw = getenv(variable).map({ String(cString: $0) }) else { return .unset }
        guard let days = Int(raw), abs(days) <= 36_500 else { return .invalid(raw) }
        return .days(days)
    }()

    #if DEBUG
    /// Whether this build honours the variable.
    static let honoured = true

    /// The seconds `Timestamp()` and `WallClock` add to the system's clock.
    static let wholeSeconds: Int64 = {
        guard case .days(let days) = setting else { return 0 }
        return Int64(days) * 86_400
    }()
    #else
    static let honoured = false

    /// A constant in a release build: every reading of the clock is the system's, with no check.
    static let wholeSeconds: Int64 = 0
    #endif
}
