/// Sources and joins that name an attached warehouse (`WH.name`, `in WH.*`): the heavy
/// part runs as SQL in the warehouse, the answer comes back as a kensho table.
extension PipelineEvaluator {
    /// The warehouse and dataset a qualified name means, when it means one: `WH.name`
    /// with WH attached and no loaded dataset of that exact name.
    func warehouseDataset(_ name: QualifiedName) -> (Warehouse, Name)? {
        guard name.parts.count == 2, catalog[name.dotted] == nil,
              let warehouse = warehouses[name.parts[0].text] else { return nil }
        return (warehouse, name.parts[1])
    }

    /// The warehouse an `occurrences`/`matrix` scope lies in, with the datasets named
    /// (nil for `WH.*`); nil when the scope is local.
    func warehouseScope(_ scope: DatasetScope) throws(Diagnostic) -> (Warehouse, [Name]?)? {
        switch scope {
        case .everything(let prefix?):
            guard catalog.datasets.allSatisfy({ !$0.name.hasPrefix(prefix.text + ".") }),
                  let warehouse = warehouses[prefix.text] else { return nil }
            return (warehouse, nil)
        case .listed(let names):
            let remote = names.map(warehouseDataset)
            guard let first = remote.compactMap({ $0 }).first else { return nil }
            for (index, entry) in remote.enumerated() where entry == nil || entry!.0 !== first.0 {
                throw Diagnostic("'\(names[index].dotted)' is not in warehouse '\(first.0.name)': "
                                 + "a comparison runs either here or in one warehouse", at: names[index].range,
                                 hint: "push it first: push \(names[index].dotted) using FP to \(first.0.name)")
            }
            return (first.0, remote.map { $0!.1 })
        default:
            return nil
        }
    }

    /// `datasets`, with every attached warehouse's pushed datasets after the loaded ones
    /// (`WH.name`, format `warehouse`, the pushed input as source).
    func warehouseListing(_ local: Table) throws -> Table {
        guard !warehouses.isEmpty else { return local }
        var rows: [[Value]] = (0..<local.rowCount).map { row in local.columns.map { $0.value(at: row) } }
        for name in warehouses.keys.sorted() {
            let warehouse = warehouses[name]!
            for dataset in try Self.placing(at: .none, { try warehouse.datasets() }) {
                let parts = dataset.sources.components(separatedBy: " sha256:")
                rows.append([.text("\(name).\(dataset.name)"), .integer(Int64(dataset.rows)), .integer(Int64(1 + dataset.roles.count)),
                             .text("warehouse"), .null, .integer(0), .text(parts[0]),
                             parts.count == 2 ? .text(parts[1]) : .null])
            }
        }
        return Table.build(zip(local.fields.map(\.name), local.fields.map(\.type)).map { ($0, $1) }, rows: rows)
    }

    /// `occurrences` or `matrix` over warehouse datasets.
    func warehouseAnalysis(_ recipeName: Name, in warehouse: Warehouse, names: [Name]?, prefix: Name,
                           matrix: Bool) throws -> Table {
        let recipe = try warehouseRecipe(recipeName, in: warehouse)
        let scope = try warehouse.scope(names, recipe: recipe, prefix: prefix)
        guard scope.count >= 2 else {
            throw Diagnostic("'\(recipe.name)' needs at least two datasets to compare, found \(scope.count)", at: recipeName.range)
        }
        let queries = warehouseQueries(warehouse)
        return try Self.placing(at: recipeName.range) {
            matrix ? try queries.matrix(scope) : try queries.occurrences(scope)
        }
    }

    /// `WH.name` as a source, whole, or only the rows whose fingerprint is in `matching`.
    func warehouseRows(_ warehouse: Warehouse, _ name: Name, matching: [String]? = nil,
                       recipe: Warehouse.RecipeReference? = nil) throws -> Table {
        let pushed = try Self.placing(at: name.range) { try warehouse.datasets() }
        let dataset = try warehouse.dataset(name, in: pushed)
        if let recipe { _ = try warehouse.scope([name], recipe: recipe, prefix: name) }
        return try Self.placing(at: name.range) { try warehouseQueries(warehouse).rows(of: dataset, matching: matching) }
    }

    /// `TABLE | join WH.name on FP`: the input's fingerprints go to the warehouse, only
    /// the rows that match come back, and the join runs here on the fingerprint.
    func warehouseJoin(_ kind: JoinKind, _ table: Table, with warehouse: Warehouse, _ name: Name,
                       keys: [JoinKey]) throws -> Table {
        guard keys.count == 1, keys[0].left.dotted == keys[0].right.dotted, keys[0].left.parts.count == 1,
              let recipe = recipes[keys[0].left.dotted] else {
            let range = keys.first.map { SourceRange.covering($0.left.range, $0.right.range) } ?? name.range
            throw Diagnostic("a warehouse dataset joins on a fingerprint only", at: range,
                             hint: "join \(warehouse.name).\(name.text) on FP, with FP a fingerprint recipe")
        }
        let range = keys[0].left.range
        let leftKey = try fingerprintKey(recipe, table, datasetName: "the input", range: range)
        var fingerprints: [String] = []
        for row in 0..<table.rowCount { if let hex = leftKey.value(at: row).text { fingerprints.append(hex) } }
        let reference = Warehouse.RecipeReference(name: recipe.name, header: recipe.header, keyID: caseKey?.id, range: range)
        // Rows that cannot match are not fetched, except where the join keeps them.
        let right = try warehouseRows(warehouse, name, matching: fingerprints, recipe: reference)
        let rightName = "\(warehouse.name).\(name.text)"
        return try Joining.join(kind, left: .init(table: table, keyColumns: [leftKey]),
                                right: .init(table: right, keyColumns: [right.column(named: "fingerprint")!]),
                                rightName: rightName, rightKeyNames: [recipe.name + "\u{0}"], leftKeyNames: [recipe.name],
                                isCancelled: isCancelled)
    }

    /// The recipe as the warehouse compares it: the session's, or — when the session has
    /// none of that name — the one the datasets were pushed with.
    private func warehouseRecipe(_ name: Name, in warehouse: Warehouse) throws -> Warehouse.RecipeReference {
        if let recipe = recipes[name.text] {
            return .init(name: recipe.name, header: recipe.header, keyID: caseKey?.id, range: name.range)
        }
        let pushed = try Self.placing(at: name.range) { try warehouse.datasets() }
        guard let dataset = pushed.first(where: { $0.recipe == name.text }) else {
            throw Diagnostic("unknown fingerprint '\(name.text)'", at: name.range,
                             hint: Suggestion.hint(for: name.text, in: recipes.keys.sorted() + pushed.map(\.recipe))
                                 ?? "define the recipe the datasets were pushed with")
        }
        return .init(name: name.text, header: dataset.header, keyID: dataset.keyID, range: name.range)
    }

    private func warehouseQueries(_ warehouse: Warehouse) -> WarehouseQueries {
        let log = onWarehouseSQL
        return WarehouseQueries(warehouse: warehouse, isCancelled: isCancelled, log: { log?(warehouse.name, $0) })
    }

    /// Runs `body`, turning a warehouse failure into a diagnostic at `range`.
    static func placing<T>(at range: SourceRange, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as WarehouseError {
            throw Diagnostic(error.message, at: range, hint: error.hint)
        }
    }
}
