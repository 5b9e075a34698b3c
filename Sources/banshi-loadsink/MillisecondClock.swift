import BanshiKit
import Foundation
import Synchronization

/// The time now as RFC 3339 text, formatted once per millisecond rather than once per call: the
/// subscriber stamps every event it applies, a thousand or more in the same millisecond.
final class MillisecondClock: Sendable {
    private let last = Mutex<(millisecond: Int64, text: String)>((-1, ""))

    func now() -> String {
        let date = Timestamp()
        let millisecond = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        return last.withLock { last in
            if last.millisecond != millisecond { last = (millisecond, Timestamp.format(date)) }
            return last.text
        }
    }
}
