/// `occurrences FP in ...`: every fingerprint found in two or more of the datasets, one
/// row per copy (DESIGN §3).
///
/// Columns: `fingerprint`, `spread` (how many datasets hold it), `_dataset`, `_source`,
/// `_line` of the copy, then one column per role the datasets have, holding the copy's
/// own value as written in its system (so the re-spellings show side by side; masked on
/// screen like any personal column). Groups come out most-spread first, then in order
/// of first appearance; copies in the order of the datasets listed, then by line.
enum Occurrences {
    struct Input {
        var name: String
        var table: Table
        var fingerprints: Fingerprinter.Result
    }

    /// Fingerprint groups across inputs: for each distinct fingerprint, its copies.
    struct Groups {
        /// Copies of each group as (input, row), in input then row order.
        var members: [[(input: Int, row: Int)]] = []
        /// Distinct inputs holding each group.
        var spread: [Int] = []
    }

    static func group(_ inputs: [Input]) -> Groups {
        var groups = Groups()
        var byPrefix: [UInt64: [Int32]] = [:]
        for (inputIndex, input) in inputs.enumerated() {
            let fingerprints = input.fingerprints
            for row in 0..<input.table.rowCount where fingerprints.present[row] {
                let prefix = fingerprints.prefix(row)
                var found: Int?
                for candidate in byPrefix[prefix] ?? [] {
                    let first = groups.members[Int(candidate)][0]
                    if inputs[first.input].fingerprints.equal(first.row, fingerprints, row) {
                        found = Int(candidate)
                        break
                    }
                }
                if let found {
                    if groups.members[found].last!.input != inputIndex { groups.spread[found] += 1 }
                    groups.members[found].append((inputIndex, row))
                } else {
                    byPrefix[prefix, default: []].append(Int32(groups.members.count))
                    groups.members.append([(inputIndex, row)])
                    groups.spread.append(1)
                }
            }
        }
        return groups
    }

    static func table(_ inputs: [Input], groups: Groups) -> Table {
        let shared = groups.spread.indices.filter { groups.spread[$0] >= 2 }
            .sorted { groups.spread[$0] != groups.spread[$1] ? groups.spread[$0] > groups.spread[$1] : $0 < $1 }
        let roles = Role.allCases.filter { role in inputs.contains { $0.table.fields.contains { $0.role == role } } }
        var fingerprint = ColumnBuilder(type: .text)
        var spread = ColumnBuilder(type: .integer)
        var dataset = ColumnBuilder(type: .text)
        var source = ColumnBuilder(type: .text)
        var line = ColumnBuilder(type: .integer)
        var values: [[Value]] = roles.map { _ in [] }
        let roleColumns = inputs.map { input in
            roles.map { role in input.table.fields.firstIndex { $0.role == role && !$0.isProvenance } }
        }
        let provenance = inputs.map { input in
            (input.table.index(of: "_source").map { input.table.columns[$0] },
             input.table.index(of: "_line").map { input.table.columns[$0] })
        }
        for group in shared {
            let first = groups.members[group][0]
            let hex = inputs[first.input].fingerprints.hex(first.row)
            for (inputIndex, row) in groups.members[group] {
                let input = inputs[inputIndex]
                fingerprint.appendText(hex)
                spread.appendInteger(Int64(groups.spread[group]))
                dataset.appendText(input.name)
                if let column = provenance[inputIndex].0 { source.append(column.value(at: row)) } else { source.appendNull() }
                if let column = provenance[inputIndex].1 { line.append(column.value(at: row)) } else { line.appendNull() }
                for (position, columnIndex) in roleColumns[inputIndex].enumerated() {
                    if let columnIndex, let text = input.table.columns[columnIndex].value(at: row).text {
                        values[position].append(.text(text))
                    } else {
                        values[position].append(.null)
                    }
                }
            }
        }
        var fields = [Field(name: "fingerprint", type: .text), Field(name: "spread", type: .integer),
                      Field(name: "_dataset", type: .text), Field(name: "_source", type: .text),
                      Field(name: "_line", type: .integer)]
        var columns = [fingerprint.finish(), spread.finish(), dataset.finish(), source.finish(), line.finish()]
        for (position, role) in roles.enumerated() {
            fields.append(Field(name: role.rawValue, type: .text, role: role))
            var builder = ColumnBuilder(type: .text, capacity: values[position].count)
            for value in values[position] { builder.append(value) }
            columns.append(builder.finish())
        }
        return Table(fields: fields, columns: columns)
    }
}
