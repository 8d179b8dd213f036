/// `union A, B, ...`: rows of several tables one after another, columns matched by
/// name (a column missing from one input is null there). Text keeps pointing into each
/// input's own arena, so a union of forty loaded files copies no text.
enum Concatenation {
    static func union(_ inputs: [(name: String, table: Table)]) -> Table {
        // Column order: first appearance; provenance last.
        var order: [String] = []
        var types: [String: ColumnType] = [:]
        var isProvenance: [String: Bool] = [:]
        for (_, table) in inputs {
            for field in table.fields {
                if let known = types[field.name] {
                    if known != field.type {
                        types[field.name] = known.isNumeric && field.type.isNumeric ? .float : .text
                    }
                } else {
                    order.append(field.name)
                    types[field.name] = field.type
                    isProvenance[field.name] = field.isProvenance
                }
            }
        }
        let provenanceMissing = inputs.contains { !$0.table.hasProvenance }
        // A column keeps its role when every input that has it agrees.
        var roles: [String: Role?] = [:]
        for (_, table) in inputs {
            for field in table.fields where !field.isProvenance {
                if let known = roles[field.name] { if known != field.role { roles[field.name] = .some(nil) } } else {
                    roles[field.name] = field.role
                }
            }
        }
        var fields = order.filter { !(isProvenance[$0] ?? false) }.map { Field(name: $0, type: types[$0]!, role: roles[$0] ?? nil) }
        fields += order.filter { isProvenance[$0] ?? false }.map { Field(name: $0, type: types[$0]!, isProvenance: true) }
        if provenanceMissing, !fields.contains(where: { $0.name == "_dataset" }) {
            fields.append(Field(name: "_dataset", type: .text, isProvenance: true))
        }
        let total = inputs.reduce(0) { $0 + $1.table.rowCount }
        var columns: [Column] = []
        for field in fields {
            let parts: [Column] = inputs.map { input in
                if let index = input.table.index(of: field.name), input.table.fields[index].name == field.name {
                    return input.table.columns[index]
                }
                if field.name == "_dataset" {
                    return Vector.constant(.text(input.name)).column(count: input.table.rowCount)
                }
                return Vector.constant(.null).column(count: input.table.rowCount)
            }
            columns.append(concatenate(parts, as: field.type, total: total))
        }
        return Table(fields: fields, columns: columns, rowCount: total)
    }

    static func concatenate(_ parts: [Column], as type: ColumnType, total: Int) -> Column {
        if type == .text, parts.allSatisfy({ $0.type == .text || isAllNull($0) }) {
            return concatenateText(parts, total: total)
        }
        var builder = ColumnBuilder(type: type, capacity: total)
        for part in parts {
            for row in 0..<part.count {
                if part.type == type || (type == .float && part.type == .integer) {
                    builder.append(from: part, row: row)
                } else {
                    builder.append(type == .text ? part.value(at: row).text.map(Value.text) ?? .null : part.value(at: row))
                }
            }
        }
        return builder.finish()
    }

    private static func isAllNull(_ column: Column) -> Bool {
        (0..<column.count).allSatisfy { column.isNull($0) }
    }

    /// Text ranges gathered as they are, with a per-row arena index.
    private static func concatenateText(_ parts: [Column], total: Int) -> Column {
        var arenas: [ByteArena] = []
        var arenaIndex: [ObjectIdentifier: UInt16] = [:]
        var ranges: [ByteRange] = []
        ranges.reserveCapacity(total)
        var arenaOfRow: [UInt16] = []
        arenaOfRow.reserveCapacity(total)
        for part in parts {
            guard case .text(let storage) = part.storage else {
                ranges.append(contentsOf: repeatElement(.null, count: part.count))
                arenaOfRow.append(contentsOf: repeatElement(0, count: part.count))
                continue
            }
            let local = storage.arenas.map { arena -> UInt16 in
                if let known = arenaIndex[ObjectIdentifier(arena)] { return known }
                let index = UInt16(arenas.count)
                arenas.append(arena)
                arenaIndex[ObjectIdentifier(arena)] = index
                return index
            }
            if arenas.count > Int(UInt16.max) { return compactText(parts, total: total) }
            for row in 0..<part.count {
                let p = part.physical(row)
                if p < 0 {
                    ranges.append(.null)
                    arenaOfRow.append(0)
                } else {
                    ranges.append(storage.ranges[p])
                    arenaOfRow.append(storage.arenaOfRow.isEmpty ? local[0] : local[Int(storage.arenaOfRow[p])])
                }
            }
        }
        if arenas.isEmpty { arenas = [ByteArena.empty] }
        return Column(.text(TextStorage(arenas: arenas, ranges: ranges, arenaOfRow: arenaOfRow)))
    }

    private static func compactText(_ parts: [Column], total: Int) -> Column {
        var builder = ColumnBuilder(type: .text, capacity: total)
        for part in parts {
            for row in 0..<part.count { builder.append(from: part, row: row) }
        }
        return builder.finish()
    }
}
