import BanshiKit

/// `banshictl call SERVICE help` for people: each command with one line of what it does, then its
/// arguments with their types, whether required, and their choices. `--json` keeps the raw reply.
enum HelpListing {
    /// The listing of `help`'s result (all commands, or the one asked for).
    static func render(_ help: JSONValue, service: String, width: Int = Terminal.width) -> String {
        let commands = help["commands"]?.arrayValue ?? []
        var lines: [String] = []
        var takesNow = false
        for command in commands {
            let name = command["name"]?.stringValue ?? "?"
            var marks: [String] = []
            if command["mutates"]?.boolValue == false { marks.append("reads") }
            if command["confidential"]?.boolValue == true { marks.append("admin only") }
            let summary = command["summary"]?.stringValue ?? ""
            // Further lines of the summary under its first, or indented where the name is long.
            let text = summary + (marks.isEmpty ? "" : "  (\(marks.joined(separator: ", ")))")
            let indent = name.displayWidth + 2 <= width / 3 ? name.displayWidth + 2 : 4
            for (index, part) in text.wrapped(width: width - indent).enumerated() {
                lines.append(index == 0 ? name + String(repeating: " ", count: indent - name.displayWidth) + part : String(repeating: " ", count: indent) + part)
            }
            var table = Table(["", "", "", ""])
            for argument in command["arguments"]?.arrayValue ?? [] {
                let argumentName = argument["name"]?.stringValue ?? "?"
                if argumentName == "now" {
                    takesNow = true
                    continue
                }
                var kind = argument["type"]?.stringValue ?? "?"
                if argument["required"]?.boolValue == true { kind += ", required" }
                var text = argument["summary"]?.stringValue ?? ""
                if let choices = argument["choices"]?.arrayValue?.compactMap(\.stringValue) {
                    text += " [\(choices.joined(separator: "|"))]"
                }
                table.add(["   ", argumentName, kind, text])
            }
            if !table.rows.isEmpty {
                // The header row is empty: drop it.
                lines.append(contentsOf: table.render(width: width).split(separator: "\n", omittingEmptySubsequences: false).dropFirst().map(String.init))
            }
        }
        var header = "\(service): \(commands.count) command\(commands.count == 1 ? "" : "s")"
        if commands.count > 1 { header += " (banshictl call \(service) help NAME for one; --json for the raw list)" }
        var footer: [String] = []
        if takesNow { footer = [""] + "Commands that act at a time also take `now` (a time), where the config's allow_now permits it.".wrapped(width: width) }
        return (header.wrapped(width: width) + [""] + lines + footer).joined(separator: "\n")
    }
}
