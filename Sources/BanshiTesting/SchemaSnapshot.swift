import Foundation

/// Tests that hold a service's migrations still: the schema each migration makes, kept as a snapshot
/// file in the repository, and the CHECK lists compared with the vocabularies.
public enum SchemaSnapshot {
    /// Compares `text` with the snapshot file at `path` (relative to the repository). With
    /// `BANSHI_WRITE_SNAPSHOTS=1` it writes the file first, for a new migration; the diff then shows
    /// exactly what the migration does. Returns what differs, or `nil`.
    public static func compare(_ text: String, with path: String) throws -> String? {
        let file = "\(TestRepository.path)/\(path)"
        if ProcessInfo.processInfo.environment["BANSHI_WRITE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        }
        guard let stored = try? String(contentsOfFile: file, encoding: .utf8) else {
            return "no snapshot at \(path): run the test with BANSHI_WRITE_SNAPSHOTS=1 for a new service"
        }
        guard stored != text else { return nil }
        let old = stored.split(separator: "\n", omittingEmptySubsequences: false)
        let new = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(old.count, new.count)).first { old[$0] != new[$0] } ?? min(old.count, new.count)
        return """
            the migrations no longer make the schema in \(path) (first difference at line \(line + 1)):
              snapshot:   \(line < old.count ? String(old[line]) : "(end)")
              migrations: \(line < new.count ? String(new[line]) : "(end)")
            A shipped migration never changes: add a new one (then BANSHI_WRITE_SNAPSHOTS=1 records it).
            """
    }

    /// The values `CHECK (column IN (...))` allows in `table` as the snapshot leaves it (the table's last
    /// `CREATE TABLE`), or `nil` when it has no such list.
    public static func allowedValues(in snapshot: String, table: String, column: String) -> [String]? {
        guard let start = snapshot.range(of: "CREATE TABLE \(table) (", options: .backwards) else { return nil }
        let statement = snapshot[start.lowerBound...].prefix { $0 != ";" }
        guard let check = statement.range(of: "\(column) IN (") else { return nil }
        let list = statement[check.upperBound...].prefix { $0 != ")" }
        return list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
    }
}
