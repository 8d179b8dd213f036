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

    /// Fingerprint groups across inputs. Every distinct fingerprint is a group; only the
    /// copies of shared groups (held by two or more inputs) are kept, flat: most groups
    /// of a sweep are one person in one system, and a small array per group would mean
    /// millions of allocations.
    struct Groups {
        /// Shared groups in order of first appearance.
        var shared: [Int] = []
        /// Distinct inputs holding each shared group (parallel to `shared`).
        var spread: [Int] = []
        /// Copies of shared group `k` are `copies[memberStart[k]..<memberStart[k + 1]]`,
        /// as (input, row) in input then row order.
        var memberStart: [Int] = [0]
        var copies: [(input: Int, row: Int)] = []

        func members(_ k: Int) -> ArraySlice<(input: Int, row: Int)> {
            copies[memberStart[k]..<memberStart[k + 1]]
        }
    }

    /// Groups rows by fingerprint: an open-addressing table on the digest's first 8
    /// bytes, each hit confirmed on the full 32 bytes (a prefix collision simply probes
    /// on, so two fingerprints sharing a prefix stay two groups).
    static func group(_ inputs: [Input]) -> Groups {
        let total = inputs.reduce(0) { $0 + $1.table.rowCount }
        var capacity = 16
        while capacity < total * 2 { capacity <<= 1 }
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        // Per group: its first copy, the last input seen and how many inputs hold it.
        var firstInput: [Int32] = [], firstRow: [Int32] = [], lastInput: [Int32] = [], spread: [Int32] = []
        // Per copy, in scan order: its group.
        var copyGroup: [[Int32]] = []
        for (inputIndex, input) in inputs.enumerated() {
            let fingerprints = input.fingerprints
            var groupOfRow = [Int32](repeating: -1, count: input.table.rowCount)
            for row in 0..<input.table.rowCount where fingerprints.present[row] {
                var slot = Int(truncatingIfNeeded: fingerprints.prefix(row)) & mask
                var group: Int32 = -1
                while slots[slot] >= 0 {
                    let candidate = Int(slots[slot])
                    let first = inputs[Int(firstInput[candidate])].fingerprints
                    if first.equal(Int(firstRow[candidate]), fingerprints, row) { group = slots[slot]; break }
                    slot = (slot + 1) & mask
                }
                if group < 0 {
                    group = Int32(firstInput.count)
                    slots[slot] = group
                    firstInput.append(Int32(inputIndex)); firstRow.append(Int32(row))
                    lastInput.append(Int32(inputIndex)); spread.append(1)
                } else if lastInput[Int(group)] != Int32(inputIndex) {
                    lastInput[Int(group)] = Int32(inputIndex)
                    spread[Int(group)] += 1
                }
                groupOfRow[row] = group
            }
            copyGroup.append(groupOfRow)
        }

        // Number the shared groups, then lay out their copies (counting sort, stable).
        var groups = Groups()
        var sharedIndex = [Int32](repeating: -1, count: spread.count)
        for group in spread.indices where spread[group] >= 2 {
            sharedIndex[group] = Int32(groups.shared.count)
            groups.shared.append(group)
            groups.spread.append(Int(spread[group]))
        }
        var counts = [Int](repeating: 0, count: groups.shared.count)
        for groupOfRow in copyGroup {
            for group in groupOfRow where group >= 0 && sharedIndex[Int(group)] >= 0 { counts[Int(sharedIndex[Int(group)])] += 1 }
        }
        for count in counts { groups.memberStart.append(groups.memberStart.last! + count) }
        groups.copies = Array(repeating: (0, 0), count: groups.memberStart.last!)
        var next = groups.memberStart
        for (inputIndex, groupOfRow) in copyGroup.enumerated() {
            for (row, group) in groupOfRow.enumerated() where group >= 0 {
                let k = Int(sharedIndex[Int(group)])
                if k < 0 { continue }
                groups.copies[next[k]] = (inputIndex, row)
                next[k] += 1
            }
        }
        return groups
    }

    static func table(_ inputs: [Input], groups: Groups) -> Table {
        let shared = groups.shared.indices
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
            let first = groups.members(group).first!
            let hex = inputs[first.input].fingerprints.hex(first.row)
            for (inputIndex, row) in groups.members(group) {
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
