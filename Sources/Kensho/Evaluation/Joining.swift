/// Hash joins: `join`, `left join`, `semijoin`, `antijoin`.
///
/// The right-hand dataset is indexed (`GroupIndex`), the left side probes it in row
/// order, and matches come out in left order then right order, so results are
/// deterministic. Null keys never match. The result keeps the left side's provenance;
/// right-hand columns whose names clash are prefixed with the right dataset's name
/// (`nakano.氏名`), and a right key column equal by name to its left key is dropped.
enum Joining {
    struct Side {
        var table: Table
        var keyColumns: [Column]
    }

    static func join(_ kind: JoinKind, left: Side, right: Side, rightName: String, rightKeyNames: [String],
                     leftKeyNames: [String], isCancelled: () -> Bool) throws -> Table {
        let rightKeys = KeyColumns(right.keyColumns)
        let leftKeys = KeyColumns(left.keyColumns)
        let index = try GroupIndex(keys: rightKeys, rowCount: right.table.rowCount, groupNulls: false,
                                   isCancelled: isCancelled)
        let groups = try index.findAll(leftKeys, rowCount: left.table.rowCount, isCancelled: isCancelled)
        let resultRows = try checkedResultSize(kind, groups: groups, index: index,
                                               columns: left.table.fields.count + right.table.fields.count)
        var leftRows: [Int32] = []
        var rightRows: [Int32] = []
        leftRows.reserveCapacity(resultRows)
        if kind == .inner || kind == .left { rightRows.reserveCapacity(resultRows) }
        for row in 0..<left.table.rowCount {
            if row & 0xFFFF == 0, isCancelled() { throw Cancelled() }
            let group: Int? = groups[row] < 0 ? nil : Int(groups[row])
            switch kind {
            case .semi:
                if group != nil { leftRows.append(Int32(row)) }
            case .anti:
                if group == nil { leftRows.append(Int32(row)) }
            case .inner, .left:
                guard let group else {
                    if kind == .left {
                        leftRows.append(Int32(row))
                        rightRows.append(-1)
                    }
                    continue
                }
                var match = Int(index.firstRow[group])
                while match >= 0 {
                    leftRows.append(Int32(row))
                    rightRows.append(Int32(match))
                    match = Int(index.nextRow[match])
                }
            }
        }
        let leftMap = RowMap(leftRows)
        var result = left.table.selecting(leftMap)
        guard kind == .inner || kind == .left else { return result }

        let rightMap = RowMap(rightRows)
        let rightSelected = right.table.selecting(rightMap)
        let leftNames = Set(left.table.fields.map(\.name))
        var fields = result.fields.filter { !$0.isProvenance }
        var columns = result.fields.indices.filter { !result.fields[$0].isProvenance }.map { result.columns[$0] }
        let dropped = Set(zip(leftKeyNames, rightKeyNames).filter { $0 == $1 }.map(\.1))
        for (index, field) in rightSelected.fields.enumerated() where !field.isProvenance {
            if dropped.contains(field.name) { continue }
            var name = field.name
            if leftNames.contains(name) || fields.contains(where: { $0.name == name }) {
                name = Grouping.uniqueName("\(rightName).\(field.name)", avoiding: fields.map(\.name) + Array(leftNames))
            }
            fields.append(Field(name: name, type: field.type, role: field.role))
            columns.append(rightSelected.columns[index])
        }
        for (index, field) in result.fields.enumerated() where field.isProvenance {
            fields.append(field)
            columns.append(result.columns[index])
        }
        result = Table(fields: fields, columns: columns, rowCount: leftMap.count)
        return result
    }

    /// The number of rows the join will produce, counted before any is made. A
    /// many-to-many join on a weak key can ask for billions of rows; one whose result
    /// would need more than half of this machine's memory is refused with the numbers,
    /// rather than taking the machine down (`MemoryBudget`: what the limits and the
    /// machine leave).
    static func checkedResultSize(_ kind: JoinKind, groups: [Int32], index: GroupIndex, columns: Int) throws(Diagnostic) -> Int {
        var total = 0
        for group in groups {
            if group >= 0 {
                total += kind == .inner || kind == .left ? Int(index.sizes[Int(group)]) : 1
            } else if kind == .left || kind == .anti {
                total += 1
            }
        }
        let bytes = total.multipliedReportingOverflow(by: 8 + 8 * columns)
        let available = MemoryBudget.available()
        guard total > Int(Int32.max) || bytes.overflow || bytes.partialValue > (available?.bytes ?? .max) / 2 else { return total }
        throw Diagnostic("the join would produce \(TableRenderer.grouped(total)) rows (about \(bytes.overflow ? "more than 10^9" : String(bytes.partialValue >> 30)) GiB), "
                         + "more than \(available?.limit ?? "this machine") leaves room for",
                         hint: "a key that repeats on both sides multiplies rows: join on a more selective key, or filter first")
    }
}
