/// A table (or view) in a database's schema, as `PRAGMA table_list` describes it.
///
/// Loading all tables means every table whose rows are stored in the file: ordinary
/// tables, WITHOUT ROWID tables, and the shadow tables in which virtual tables
/// (full-text indexes, r-trees) keep their data. Views (queries over other tables) and
/// virtual tables themselves (whose reading needs their module) are not loaded, and
/// the load says so. SQLite's own `sqlite_%` tables are skipped.
struct SQLiteTable {
    var name: String
    /// `table`, `shadow`, `view` or `virtual`.
    var type: String
    var isWithoutRowid: Bool

    var isStored: Bool { type == "table" || type == "shadow" }

    /// The schema's tables and views, by name; `PRAGMA table_list` needs SQLite 3.37.
    static func list(in database: SQLiteDatabase) throws(SQLiteFailure) -> [SQLiteTable] {
        let statement = try database.prepare("SELECT name, type, wr FROM pragma_table_list WHERE schema = 'main'")
        var tables: [SQLiteTable] = []
        while try statement.step() {
            guard let name = statement.text(0), !name.hasPrefix("sqlite_") else { continue }
            tables.append(SQLiteTable(name: name, type: statement.text(1) ?? "table", isWithoutRowid: statement.integer(2) != 0))
        }
        return tables.sorted { $0.name < $1.name }
    }

    /// The name as an SQL identifier.
    var quotedName: String { SQLiteTable.quote(name) }

    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func quoteLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

import Foundation
