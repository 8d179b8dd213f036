/// `count`, `count by` and `distinct`.
enum Grouping {
    static func count(_ table: Table) -> Table {
        Table.build([("n", .integer)], rows: [[.integer(Int64(table.rowCount))]])
    }

    /// One row per distinct key with its row count `n`, largest first; ties in key order.
    static func countBy(_ table: Table, keys: [QualifiedName], isCancelled: () -> Bool) throws -> Table {
        let (fields, columns) = try resolve(keys, in: table)
        let index = try GroupIndex(keys: KeyColumns(columns), rowCount: table.rowCount, groupNulls: true,
                                   chains: false, isCancelled: isCancelled)
        let comparators = columns.map { CellComparator($0) }
        // Largest first, then by key: sizes and the first key's prefix are plain
        // integers, so only groups tied on both compare their keys in full.
        var entries = (0..<index.groupCount).map { group in
            (size: index.sizes[group], key: SortEntry(prefix: comparators.first?.prefix(Int(index.firstRow[group]), descending: false) ?? 0,
                                                      row: index.firstRow[group]))
        }
        entries.sort { a, b in
            if a.size != b.size { return a.size > b.size }
            if a.key.prefix != b.key.prefix { return a.key.prefix < b.key.prefix }
            let ra = Int(a.key.row), rb = Int(b.key.row)
            for comparator in comparators {
                let result = comparator.compare(ra, rb)
                if result != 0 { return result < 0 }
            }
            return ra < rb
        }
        let firstRows = RowMap(entries.map(\.key.row))
        var outFields = fields
        var outColumns = columns.map { $0.selecting(firstRows) }
        outFields.append(Field(name: uniqueName("n", avoiding: fields.map(\.name)), type: .integer))
        outColumns.append(Column(.integer(entries.map { Int64($0.size) }, valid: [])))
        return Table(fields: outFields, columns: outColumns, rowCount: entries.count)
    }

    /// With columns: the distinct values of those columns, in first-appearance order.
    /// Without: whole rows, deduplicated on every visible column, keeping the first copy
    /// (with its provenance).
    static func distinct(_ table: Table, columns names: [QualifiedName], isCancelled: () -> Bool) throws -> Table {
        if names.isEmpty {
            let visible = table.visibleIndices
            let index = try GroupIndex(keys: KeyColumns(visible.map { table.columns[$0] }), rowCount: table.rowCount,
                                       groupNulls: true, chains: false, isCancelled: isCancelled)
            return table.selecting(RowMap(index.firstRow))
        }
        let (fields, columns) = try resolve(names, in: table)
        let index = try GroupIndex(keys: KeyColumns(columns), rowCount: table.rowCount, groupNulls: true,
                                   chains: false, isCancelled: isCancelled)
        let rows = RowMap(index.firstRow)
        return Table(fields: fields, columns: columns.map { $0.selecting(rows) }, rowCount: rows.count)
    }

    static func resolve(_ names: [QualifiedName], in table: Table) throws(Diagnostic) -> ([Field], [Column]) {
        var fields: [Field] = []
        var columns: [Column] = []
        for name in names {
            guard let index = table.index(of: name.dotted)
                ?? (name.parts.count > 1 ? table.index(of: name.parts.last!.text) : nil)
            else { throw unknownColumn(name, in: table) }
            var field = table.fields[index]
            field.isProvenance = false
            fields.append(field)
            columns.append(table.columns[index])
        }
        return (fields, columns)
    }

    static func uniqueName(_ name: String, avoiding taken: [String]) -> String {
        var candidate = name
        var suffix = 2
        while taken.contains(candidate) {
            candidate = "\(name)_\(suffix)"
            suffix += 1
        }
        return candidate
    }
}
