/// `select` and `derive`.
///
/// `select` keeps the provenance columns hidden behind the chosen ones, so a selected
/// row can still be cited and tagged; naming a provenance column (`select _line`) makes
/// it a visible column of the result.
enum Projection {
    static func select(_ items: [SelectItem], from table: Table, functions: FunctionLibrary) throws(Diagnostic) -> Table {
        let evaluator = ExpressionEvaluator(table: table, functions: functions)
        var fields: [Field] = []
        var columns: [Column] = []
        var used: Set<String> = []
        var shownProvenance: Set<String> = []
        for item in expandingStar(items, in: table) {
            let vector = try evaluator.evaluate(item.expression)
            var name = item.alias?.text ?? item.expression.defaultName
            var role: Role?
            if case .column(let reference) = item.expression.kind,
               let index = table.index(of: reference.dotted) ?? (reference.parts.count > 1 ? table.index(of: reference.parts.last!.text) : nil) {
                role = table.fields[index].role
                if item.alias == nil {
                    name = table.fields[index].name
                    if table.fields[index].isProvenance { shownProvenance.insert(name) }
                }
            }
            if used.contains(name) {
                if item.alias != nil {
                    throw Diagnostic("column '\(name)' is selected twice", at: item.alias!.range)
                }
                var suffix = 2
                while used.contains("\(name)_\(suffix)") { suffix += 1 }
                name = "\(name)_\(suffix)"
            }
            used.insert(name)
            let column = vector.column(count: table.rowCount)
            fields.append(Field(name: name, type: vector.type ?? .text, role: role))
            columns.append(column)
        }
        // Hidden provenance rides along unless it was shown or its name is taken.
        for (index, field) in table.fields.enumerated() where field.isProvenance {
            if shownProvenance.contains(field.name) || used.contains(field.name) { continue }
            fields.append(field)
            columns.append(table.columns[index])
        }
        return Table(fields: fields, columns: columns, rowCount: table.rowCount)
    }

    /// `*` stands for every visible column.
    private static func expandingStar(_ items: [SelectItem], in table: Table) -> [SelectItem] {
        items.flatMap { item -> [SelectItem] in
            guard case .column(let name) = item.expression.kind, name.dotted == "*" else { return [item] }
            return table.visibleIndices.map { index in
                SelectItem(expression: Expression(.column(QualifiedName([Name(table.fields[index].name, range: name.range)])),
                                                  item.expression.range), alias: nil)
            }
        }
    }

    static func derive(_ items: [(Name, Expression)], on table: Table, functions: FunctionLibrary) throws(Diagnostic) -> Table {
        var result = table
        for (name, expression) in items {
            // Each derived column can use the ones before it.
            let evaluator = ExpressionEvaluator(table: result, functions: functions)
            let vector = try evaluator.evaluate(expression)
            if let existing = result.index(of: name.text), result.fields[existing].isProvenance {
                throw Diagnostic("'\(name.text)' is a provenance column and cannot be replaced", at: name.range)
            }
            var role: Role?
            if case .column(let reference) = expression.kind { role = result.column(field: reference)?.role }
            result = result.appending(Field(name: name.text, type: vector.type ?? .text, role: role),
                                      vector.column(count: table.rowCount))
        }
        return result
    }
}
