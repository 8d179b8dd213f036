/// A result: named, typed columns of equal length. Every pipeline stage takes a table
/// and returns one; every source yields one.
///
/// Provenance travels as ordinary columns flagged `isProvenance` (`_dataset`,
/// `_source`, `_line`), so filters, sorts and joins carry it for free. They are hidden
/// when a table is shown unless a `select` names them; exports and findings include them.
public struct Table: Sendable {
    public var fields: [Field]
    public var columns: [Column]
    public private(set) var rowCount: Int

    public init(fields: [Field], columns: [Column], rowCount: Int? = nil) {
        precondition(fields.count == columns.count)
        self.fields = fields
        self.columns = columns
        self.rowCount = rowCount ?? columns.first?.count ?? 0
    }

    public static let empty = Table(fields: [], columns: [], rowCount: 0)

    /// Index of the visible or provenance column called `name` (exact match first, then
    /// case-insensitive when that is unambiguous).
    public func index(of name: String) -> Int? {
        if let exact = fields.firstIndex(where: { $0.name == name }) { return exact }
        let lowered = name.lowercased()
        let matches = fields.indices.filter { fields[$0].name.lowercased() == lowered }
        return matches.count == 1 ? matches[0] : nil
    }

    public func column(named name: String) -> Column? { index(of: name).map { columns[$0] } }

    /// The field a (possibly dataset-qualified) column reference names.
    public func column(field name: QualifiedName) -> Field? {
        (index(of: name.dotted) ?? (name.parts.count > 1 ? index(of: name.parts.last!.text) : nil)).map { fields[$0] }
    }

    public var visibleIndices: [Int] { fields.indices.filter { !fields[$0].isProvenance } }
    public var hasProvenance: Bool { fields.contains { $0.isProvenance } }

    /// The table with rows picked (and possibly repeated or reordered) by `map`. Columns
    /// that shared an indirection keep sharing one composed map.
    public func selecting(_ map: RowMap) -> Table {
        var composed: [ObjectIdentifier: RowMap] = [:]
        let newColumns = columns.map { column -> Column in
            guard let rows = column.rows else { return Column(column.storage, rows: map) }
            let key = ObjectIdentifier(rows)
            if let cached = composed[key] { return Column(column.storage, rows: cached) }
            let result = RowMap.compose(rows, map)
            composed[key] = result
            return Column(column.storage, rows: result)
        }
        return Table(fields: fields, columns: newColumns, rowCount: map.count)
    }

    public func appending(_ field: Field, _ column: Column) -> Table {
        var copy = self
        if let existing = copy.fields.firstIndex(where: { $0.name == field.name }) {
            copy.fields[existing] = field
            copy.columns[existing] = column
        } else {
            let insertAt = copy.fields.firstIndex(where: \.isProvenance) ?? copy.fields.count
            copy.fields.insert(field, at: insertAt)
            copy.columns.insert(column, at: insertAt)
        }
        return copy
    }

    /// A small table from boxed rows (listings, describe, count).
    public static func build(_ schema: [(String, ColumnType)], rows: [[Value]]) -> Table {
        var columns: [Column] = []
        for (index, (_, type)) in schema.enumerated() {
            var builder = ColumnBuilder(type: type, capacity: rows.count)
            for row in rows { builder.append(row[index]) }
            columns.append(builder.finish())
        }
        return Table(fields: schema.map { Field(name: $0.0, type: $0.1) }, columns: columns, rowCount: rows.count)
    }
}

/// A column's name and type, and whether it is one of the provenance pseudo-columns.
public struct Field: Sendable, Hashable {
    public var name: String
    public var type: ColumnType
    public var isProvenance: Bool
    /// What the column holds about a person, carried through operators that keep the
    /// column's values (select, joins, grouping keys) so results stay masked.
    public var role: Role?

    public init(name: String, type: ColumnType, isProvenance: Bool = false, role: Role? = nil) {
        self.name = name
        self.type = type
        self.isProvenance = isProvenance
        self.role = role
    }

    public static let provenanceNames = ["_dataset", "_source", "_line"]
}
