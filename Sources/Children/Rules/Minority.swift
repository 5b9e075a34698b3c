import BanshiKit

/// Age under the criminal law, counted as the law counts it.
///
/// The Supreme People's Court's interpretation on juvenile criminal cases (法释〔2006〕1号, art. 2)
/// counts 周岁 (full years of age) by the Gregorian calendar "from the day after the birthday". So a
/// person is a minor on the 18th birthday itself and an adult from the next day. A 29 February
/// birthday falls on 28 February in a common year.
public enum Minority {
    /// The first day on which a person born on `birth` is 18 under the criminal law.
    public static func adulthood(bornOn birth: CalendarDate) -> CalendarDate {
        birth.adding(years: 18).adding(days: 1)
    }

    /// Whether a person born on `birth` was under 18 on `day`.
    public static func isMinor(bornOn birth: CalendarDate, on day: CalendarDate) -> Bool {
        day < adulthood(bornOn: birth)
    }
}
