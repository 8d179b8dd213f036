/// Runs a pipeline: evaluates its source, then each operator in turn. Every step takes
/// a table and returns one; nothing here prints or touches the catalog.
struct PipelineEvaluator {
    let catalog: Catalog
    let functions: FunctionLibrary
    let isCancelled: @Sendable () -> Bool
    /// The findings so far, for the `findings` source.
    var findings = FindingLog()
    /// Fingerprint recipes by name, and the case key for keyed fingerprints.
    var recipes: [String: Recipe] = [:]
    var caseKey: CaseKey?
    /// Fingerprints computed earlier in the session.
    var fingerprintCache: FingerprintCache?
    /// Told of every tree diff evaluated (the report lists them).
    var onTreeDiff: ((String, String) -> Void)?
    /// Shows a status line (the session prints it to standard error).
    var note: ((String) -> Void)?
    /// Attached warehouses by name (`WH.name`, `in WH.*`), and where the SQL they run is
    /// reported (warehouse, SQL text) for the journal.
    var warehouses: [String: Warehouse] = [:]
    var onWarehouseSQL: ((String, String) -> Void)?
    /// Called by the `tag` operator with the rows passing through it.
    var tagger: ((_ label: String, _ note: String?, _ table: Table, _ range: SourceRange) throws -> Void)?

    func evaluate(_ pipeline: Pipeline) throws -> Table {
        var table = try source(pipeline.source)
        for step in pipeline.operators {
            if isCancelled() { throw Cancelled() }
            table = try apply(step, to: table)
        }
        return table
    }

    private func source(_ source: Source) throws -> Table {
        switch source {
        case .dataset(let name):
            if let (warehouse, dataset) = warehouseDataset(name) { return try warehouseRows(warehouse, dataset) }
            return try catalog.resolve(name).table
        case .union(let names, _):
            let inputs = try names.map { name throws(Diagnostic) in (name.dotted, try catalog.resolve(name).table) }
            return Concatenation.union(inputs)
        case .datasets:
            return try warehouseListing(CatalogListing.datasets(catalog))
        case .rejects(let name, _):
            return CatalogListing.rejects(try catalog.resolve(name))
        case .roles(let name, _):
            return CatalogListing.roles(try catalog.resolve(name))
        case .findings:
            return findings.table
        case .occurrences(let recipe, let scope, let range):
            if let (warehouse, names) = try warehouseScope(scope) {
                return try warehouseAnalysis(recipe, in: warehouse, names: names, prefix: Self.prefix(scope, recipe), matrix: false)
            }
            let inputs = try fingerprintInputs(recipe, scope: scope, range: range)
            return Occurrences.table(inputs, groups: Occurrences.group(inputs))
        case .matrix(let recipe, let scope, let range):
            if let (warehouse, names) = try warehouseScope(scope) {
                return try warehouseAnalysis(recipe, in: warehouse, names: names, prefix: Self.prefix(scope, recipe), matrix: true)
            }
            let inputs = try fingerprintInputs(recipe, scope: scope, range: range)
            return Matrix.table(inputs, groups: Occurrences.group(inputs))
        case .diff(let a, let b, let recipeName, _):
            if let recipeName {
                let recipe = try self.recipe(recipeName)
                let sides = try [a, b].map { name throws -> TableDiff.Side in
                    let dataset = try catalog.resolve(name)
                    let bound = try recipe.bind(to: dataset.table, datasetName: dataset.name, range: recipeName.range)
                    let result = try Fingerprinter(bound: bound, key: caseKey).compute(dataset.table, cache: fingerprintCache, isCancelled: isCancelled)
                    return .init(name: dataset.name, table: dataset.table, fingerprints: result)
                }
                let outcome = TableDiff.compare(old: sides[0], new: sides[1])
                if outcome.unpaired.old + outcome.unpaired.new > 0 {
                    note?("\(outcome.unpaired.old) rows of '\(a.dotted)' and \(outcome.unpaired.new) of '\(b.dotted)' "
                                 + "have no '\(recipe.name)' fingerprint (a field empty or invalid) and were not compared")
                }
                return outcome.table
            }
            let before = try catalog.resolve(a), after = try catalog.resolve(b)
            let table = try TreeDiff.compare(before, after, ranges: (a.range, b.range), isCancelled: isCancelled)
            onTreeDiff?(before.name, after.name)
            return table
        }
    }

    private func apply(_ step: PipelineOperator, to table: Table) throws -> Table {
        switch step.kind {
        case .filter(let condition):
            let rows = try ExpressionEvaluator(table: table, functions: functions).filter(condition)
            return table.selecting(rows)
        case .select(let items):
            return try Projection.select(items, from: table, functions: functions)
        case .derive(let items):
            return try Projection.derive(items, on: table, functions: functions)
        case .sort(let keys):
            return try Sorting.sort(table, by: keys, functions: functions, isCancelled: isCancelled)
        case .limit(let count):
            return table.selecting(RowMap((0..<min(count, table.rowCount)).map { Int32($0) }))
        case .distinct(let columns):
            return try Grouping.distinct(table, columns: columns, isCancelled: isCancelled)
        case .count:
            return Grouping.count(table)
        case .countBy(let keys):
            return try Grouping.countBy(table, keys: keys, isCancelled: isCancelled)
        case .join(let kind, let datasetName, let keys):
            if let (warehouse, name) = warehouseDataset(datasetName) {
                return try warehouseJoin(kind, table, with: warehouse, name, keys: keys)
            }
            let right = try catalog.resolve(datasetName)
            var leftColumns: [Column] = []
            var rightColumns: [Column] = []
            // `on FP`: a fingerprint recipe (not a column on either side) joins by fingerprint.
            if keys.count == 1, keys[0].left.dotted == keys[0].right.dotted, keys[0].left.parts.count == 1,
               let recipe = recipes[keys[0].left.dotted], table.column(field: keys[0].left) == nil,
               right.table.column(field: keys[0].right) == nil {
                let range = keys[0].left.range
                let name = recipe.name
                leftColumns.append(try fingerprintKey(recipe, table, datasetName: "the input", range: range))
                rightColumns.append(try fingerprintKey(recipe, right.table, datasetName: right.name, range: range))
                return try Joining.join(kind, left: .init(table: table, keyColumns: leftColumns),
                                        right: .init(table: right.table, keyColumns: rightColumns),
                                        rightName: right.name, rightKeyNames: [name + "\u{0}"], leftKeyNames: [name],
                                        isCancelled: isCancelled)
            }
            for key in keys {
                let leftColumn = try ExpressionEvaluator(table: table).resolve(key.left)
                let rightColumn: Column
                do { rightColumn = try ExpressionEvaluator(table: right.table).resolve(key.right) } catch {
                    var diagnostic = error
                    diagnostic.message += " in '\(right.name)'"
                    throw diagnostic
                }
                let lt = leftColumn.type, rt = rightColumn.type
                guard lt == rt || (lt.isNumeric && rt.isNumeric) else {
                    throw Diagnostic("cannot join \(lt.rawValue) '\(key.left.dotted)' with \(rt.rawValue) '\(key.right.dotted)'",
                                     at: .covering(key.left.range, key.right.range),
                                     hint: "convert one side first: derive k = text(\(key.left.dotted))")
                }
                leftColumns.append(leftColumn)
                rightColumns.append(rightColumn)
            }
            return try Joining.join(kind, left: .init(table: table, keyColumns: leftColumns),
                                    right: .init(table: right.table, keyColumns: rightColumns),
                                    rightName: right.name,
                                    rightKeyNames: keys.map { $0.right.parts.last!.text },
                                    leftKeyNames: keys.map { $0.left.parts.last!.text },
                                    isCancelled: isCancelled)
        case .tag(let label, let note):
            guard let tagger else { throw notImplemented("tag", step.keywordRange) }
            try tagger(label.text, note, table, step.range)
            return table
        case .fingerprint(let recipeName, let alias):
            let recipe = try self.recipe(recipeName)
            let bound = try recipe.bind(to: table, datasetName: "the input", range: recipeName.range)
            let result = try Fingerprinter(bound: bound, key: caseKey).compute(table, cache: fingerprintCache, isCancelled: isCancelled)
            var builder = ColumnBuilder(type: .text, capacity: table.rowCount)
            for row in 0..<table.rowCount {
                if result.present[row] { result.appendHex(row, to: &builder) } else { builder.appendNull() }
            }
            return table.appending(Field(name: alias?.text ?? recipe.name, type: .text), builder.finish())
        }
    }

    func recipe(_ name: Name) throws(Diagnostic) -> Recipe {
        try Self.recipe(name, in: recipes)
    }

    static func recipe(_ name: Name, in recipes: [String: Recipe]) throws(Diagnostic) -> Recipe {
        guard let recipe = recipes[name.text] else {
            throw Diagnostic("unknown fingerprint '\(name.text)'", at: name.range,
                             hint: Suggestion.hint(for: name.text, in: recipes.keys.sorted())
                                 ?? "define one: fingerprint \(name.text) = name + birthdate + phone")
        }
        return recipe
    }

    /// The fingerprint of each row as a text column (64 hex digits, null when incomplete).
    func fingerprintColumn(_ recipe: Recipe, _ table: Table, datasetName: String, range: SourceRange) throws -> Column {
        let bound = try recipe.bind(to: table, datasetName: datasetName, range: range)
        let result = try Fingerprinter(bound: bound, key: caseKey).compute(table, cache: fingerprintCache, isCancelled: isCancelled)
        var builder = ColumnBuilder(type: .text, capacity: table.rowCount)
        for row in 0..<table.rowCount {
            if result.present[row] { result.appendHex(row, to: &builder) } else { builder.appendNull() }
        }
        return builder.finish()
    }

    /// A side's fingerprints for a join: computed, or — for a loaded fingerprint set from
    /// another organisation — read, after checking they were made the same way.
    func fingerprintKey(_ recipe: Recipe, _ table: Table, datasetName: String, range: SourceRange) throws -> Column {
        if let set = try FingerprintExchange.provenance(of: table) {
            try FingerprintExchange.checkComparable(set, recipe: recipe, key: caseKey, name: datasetName, range: range)
            return table.column(named: "fingerprint")!
        }
        return try fingerprintColumn(recipe, table, datasetName: datasetName, range: range)
    }

    /// The datasets an `occurrences` or `matrix` runs over, fingerprinted.
    func fingerprintInputs(_ recipeName: Name, scope: DatasetScope, range: SourceRange) throws -> [Occurrences.Input] {
        let recipe = try self.recipe(recipeName)
        let datasets: [Dataset]
        switch scope {
        case .all, .everything(prefix: nil):
            datasets = catalog.datasets.filter { $0.sourceFile != nil && $0.sourceFile?.format != "dir" }
        case .everything(let prefix?):
            datasets = catalog.datasets.filter { $0.name.hasPrefix(prefix.text + ".") }
            if datasets.isEmpty { throw Diagnostic("no datasets named '\(prefix.text).*'", at: prefix.range) }
        case .listed(let names):
            datasets = try names.map { name throws(Diagnostic) in try catalog.resolve(name) }
        }
        guard datasets.count >= 2 else {
            throw Diagnostic("'\(recipe.name)' needs at least two datasets to compare, found \(datasets.count)", at: range)
        }
        var inputs: [Occurrences.Input] = []
        for dataset in datasets {
            if isCancelled() { throw Cancelled() }
            let bound = try recipe.bind(to: dataset.table, datasetName: dataset.name, range: recipeName.range)
            let result = try Fingerprinter(bound: bound, key: caseKey).compute(dataset.table, cache: fingerprintCache, isCancelled: isCancelled)
            inputs.append(.init(name: dataset.name, table: dataset.table, fingerprints: result))
        }
        return inputs
    }

    /// The name a scope's errors point at: `WH` of `in WH.*`, else the recipe.
    static func prefix(_ scope: DatasetScope, _ recipe: Name) -> Name {
        if case .everything(let prefix?) = scope { return prefix }
        return recipe
    }

    private func notImplemented(_ what: String, _ range: SourceRange) -> Diagnostic {
        Diagnostic("'\(what)' is not implemented in this version of kensho", at: range)
    }
}
