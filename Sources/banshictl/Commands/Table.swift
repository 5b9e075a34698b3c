import Foundation

/// A plain-text table for people: a header row, aligned columns, two spaces between them.
struct Table {
    let headers: [String]
    var rows: [[String]] = []

    init(_ headers: [String]) { self.headers = headers }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// The table; with `width`, a last column that would run past it is wrapped at word boundaries,
    /// its further lines under its first.
    func render(width: Int? = nil) -> String {
        var widths = headers.map(\.displayWidth)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.displayWidth)
            }
        }
        func line(_ cells: [String]) -> String {
            let leading = cells.dropLast().enumerated().map { index, cell in
                cell + String(repeating: " ", count: max(0, widths[index] - cell.displayWidth)) + "  "
            }.joined()
            guard let last = cells.last else { return "" }
            guard let width else { return leading + last }
            let start = leading.displayWidth
            return last.wrapped(width: width - start).enumerated().map { index, part in
                (index == 0 ? leading : String(repeating: " ", count: start)) + part
            }.joined(separator: "\n")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}

/// How wide the listings for people may be: the terminal's width when standard output is one, else
/// `COLUMNS`, else 100.
enum Terminal {
    static var width: Int {
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 100
    }
}

extension String {
    /// The text as a paragraph for the terminal: wrapped to its width, each line after the first
    /// indented by four columns.
    var paragraph: String {
        wrapped(width: Terminal.width - 4).enumerated().map { $0.offset == 0 ? $0.element : "    " + $0.element }.joined(separator: "\n")
    }

    /// The text in lines of at most `width` terminal columns, broken at spaces; a word longer than a
    /// line is broken after its last `|` that fits (a list of choices, `[a|b|c]`, breaks between
    /// names), else where the line ends (a run of Chinese, a path). At least 30 columns a line.
    func wrapped(width: Int) -> [String] {
        let width = Swift.max(width, 30)
        guard displayWidth > width else { return [self] }
        var lines: [String] = []
        var (current, currentWidth) = ("", 0)
        for piece in split(separator: " ", omittingEmptySubsequences: true) {
            var (word, wordWidth) = (String(piece), String(piece).displayWidth)
            if !current.isEmpty, currentWidth + 1 + wordWidth <= width {
                current += " " + word
                currentWidth += 1 + wordWidth
                continue
            }
            if !current.isEmpty { lines.append(current) }
            while wordWidth > width {
                var head = word.prefix(columns: width)
                if let bar = head.lastIndex(of: "|"), String(head[..<bar]).displayWidth >= width / 3 { head = String(head[...bar]) }
                lines.append(head)
                word = String(word.dropFirst(head.count))
                wordWidth = word.displayWidth
            }
            (current, currentWidth) = (word, wordWidth)
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The longest start of the text that takes at most `columns` terminal columns.
    func prefix(columns: Int) -> String {
        var (width, end) = (0, startIndex)
        for index in indices {
            width += String(self[index]).displayWidth
            if width > columns { break }
            end = self.index(after: index)
        }
        return String(self[..<end])
    }

    /// Terminal columns the text takes: East Asian wide characters (Chinese names, say) take two.
    var displayWidth: Int {
        unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
                0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                width + 2
            case 0x0300...0x036F, 0x200B...0x200F:
                width
            default:
                width + 1
            }
        }
    }
}
