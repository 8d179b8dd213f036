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
    ///
    /// Memory is what bounds a sweep (its exports are loaded whole), so the scan keeps
    /// per group only its first copy and the last input seen holding it, and per row its
    /// group; how many inputs hold a group is counted afterwards, for the shared groups
    /// only (a few thousand of a sweep's million).
    static func group(_ inputs: [Input]) -> Groups {
        // Rows are numbered across the inputs: input i's rows start at `offsets[i]`.
        var offsets: [Int] = []
        var total = 0
        for input in inputs {
            offsets.append(total)
            total += input.table.rowCount
        }
        /// The input and row of a row number across the inputs.
        func locate(_ global: Int) -> (input: Int, row: Int) {
            var low = 0, high = offsets.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if offsets[middle] <= global { low = middle } else { high = middle - 1 }
            }
            return (low, global - offsets[low])
        }
        var capacity = 16
        while capacity < total * 2 { capacity <<= 1 }
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        // Per group, in order of first appearance: its first copy (a row number across
        // the inputs), the last input seen holding it, and whether another input did.
        var firstCopy: [Int32] = [], lastInput: [Int32] = [], isShared: [Bool] = []
        firstCopy.reserveCapacity(total)
        lastInput.reserveCapacity(total)
        isShared.reserveCapacity(total)
        // Per row across the inputs: its group, -1 without a fingerprint.
        var groupOfRow = [Int32](repeating: -1, count: total)
        for (inputIndex, input) in inputs.enumerated() {
            let fingerprints = input.fingerprints
            for row in 0..<input.table.rowCount where fingerprints.present[row] {
                var slot = Int(truncatingIfNeeded: fingerprints.prefix(row)) & mask
                var group: Int32 = -1
                while slots[slot] >= 0 {
                    let candidate = Int(slots[slot])
                    let first = locate(Int(firstCopy[candidate]))
                    if inputs[first.input].fingerprints.equal(first.row, fingerprints, row) { group = slots[slot]; break }
                    slot = (slot + 1) & mask
                }
                if group < 0 {
                    group = Int32(firstCopy.count)
                    slots[slot] = group
                    firstCopy.append(Int32(offsets[inputIndex] + row))
                    lastInput.append(Int32(inputIndex))
                    isShared.append(false)
                } else if lastInput[Int(group)] != Int32(inputIndex) {
                    lastInput[Int(group)] = Int32(inputIndex)
                    isShared[Int(group)] = true
                }
                groupOfRow[offsets[inputIndex] + row] = group
            }
        }
        slots = []

        // Number the shared groups (reusing `lastInput`: a group's shared number, or -1),
        // then count their inputs and lay out their copies (counting sort, stable).
        var groups = Groups()
        var sharedIndex = lastInput
        lastInput = []
        for group in isShared.indices {
            if isShared[group] {
                sharedIndex[group] = Int32(groups.shared.count)
                groups.shared.append(group)
            } else {
                sharedIndex[group] = -1
            }
        }
        groups.spread = Array(repeating: 0, count: groups.shared.count)
        var lastSeen = [Int](repeating: -1, count: groups.shared.count)
        var counts = [Int](repeating: 0, count: groups.shared.count)
        for (inputIndex, input) in inputs.enumerated() {
            for global in offsets[inputIndex]..<(offsets[inputIndex] + input.table.rowCount) {
                let group = groupOfRow[global]
                guard group >= 0 else { continue }
                let k = Int(sharedIndex[Int(group)])
                guard k >= 0 else { continue }
                counts[k] += 1
                if lastSeen[k] != inputIndex {
                    lastSeen[k] = inputIndex
                    groups.spread[k] += 1
                }
            }
        }
        for count in counts { groups.memberStart.append(groups.memberStart.last! + count) }
        groups.copies = Array(repeating: (0, 0), count: groups.memberStart.last!)
        var next = groups.memberStart
        for (global, group) in groupOfRow.enumerated() where group >= 0 {
            let k = Int(sharedIndex[Int(group)])
            if k < 0 { continue }
            groups.copies[next[k]] = locate(global)
            next[k] += 1
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
