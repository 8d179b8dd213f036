import Foundation

/// `attach postgres "URL" as WH` and `push DS using FP to WH [with personal=...]`.
extension Session {
    func performAttach(kind: Name, url: String, name: Name, range: SourceRange) throws -> StatementRecord.Outcome {
        guard ["postgres", "postgresql"].contains(kind.text.lowercased()) else {
            throw Diagnostic("unknown warehouse kind '\(kind.text)'", at: kind.range,
                             hint: "kensho attaches PostgreSQL-compatible servers: attach postgres \"postgresql://USER@HOST:PORT/DB\" as \(name.text)")
        }
        let warehouse: Warehouse
        do { warehouse = try Warehouse(name: name.text, url: url) } catch {
            throw Diagnostic(error.message, at: range, hint: error.hint)
        }
        let pushed = try PipelineEvaluator.placing(at: range) { try warehouse.datasets() }
        warehouses[name.text]?.connection.close()
        warehouses[name.text] = warehouse
        let connection = warehouse.connection
        note("attached \(name.text): PostgreSQL \(connection.serverVersion) at \(connection.server)"
             + (connection.usesTLS ? " (TLS)" : " (not encrypted)")
             + "; \(pushed.count) dataset\(pushed.count == 1 ? "" : "s") pushed so far")
        extraAnnotation.append(("server", connection.server))
        extraAnnotation.append(("server_version", connection.serverVersion))
        return .setting("attach postgres \(name.text)")
    }

    func performPush(_ datasetName: QualifiedName, recipe recipeName: Name, to warehouseName: Name,
                     options: [OptionPair]) throws -> StatementRecord.Outcome {
        guard let warehouse = warehouses[warehouseName.text] else {
            throw Diagnostic("no warehouse named '\(warehouseName.text)' is attached", at: warehouseName.range,
                             hint: Suggestion.hint(for: warehouseName.text, in: warehouses.keys.sorted())
                                 ?? "attach one first: attach postgres \"postgresql://USER@HOST:PORT/DB\" as \(warehouseName.text)")
        }
        let personal = try Session.personalOption(options)
        let dataset = try catalog.resolve(datasetName)
        guard let recipe = recipes[recipeName.text] else {
            throw Diagnostic("unknown fingerprint '\(recipeName.text)'", at: recipeName.range,
                             hint: Suggestion.hint(for: recipeName.text, in: recipes.keys.sorted())
                                 ?? "define one: fingerprint \(recipeName.text) = name + birthdate + phone")
        }
        let bound = try recipe.bind(to: dataset.table, datasetName: dataset.name, range: recipeName.range)
        let fingerprints = try Fingerprinter(bound: bound, key: caseKey)
            .compute(dataset.table, cache: fingerprintCache, isCancelled: isCancelled)
        if caseKey == nil {
            note("warning: '\(recipe.name)' is not keyed: whoever can read the warehouse can test guessed names and "
                 + "birth dates against these fingerprints (set key = env:NAME keys them)")
        }
        let sources = dataset.sourceFile.map { "\($0.path) sha256:\($0.sha256)" } ?? "derived: \(dataset.name)"
        let push = WarehousePush(warehouse: warehouse, datasetName: dataset.name, recipe: recipe, key: caseKey,
                                 personal: personal, sources: sources, isCancelled: isCancelled)
        let started = Clock.monotonicMilliseconds()
        var batch: WarehousePush.Batch? = .init(table: dataset.table, fingerprints: fingerprints, firstOrdinal: 0)
        let total = dataset.table.rowCount
        let progress = pushProgress
        let outcome = try PipelineEvaluator.placing(at: warehouseName.range) {
            try push.run(next: { defer { batch = nil }; return batch }, progress: { progress?($0, total) })
        }
        progress?(total, total)
        let seconds = max(0.001, (Clock.monotonicMilliseconds() - started) / 1000)
        note("pushed \(dataset.name) to \(warehouse.name): \(TableRenderer.grouped(outcome.rows)) rows "
             + "(\(TableRenderer.grouped(outcome.fingerprinted)) fingerprinted), personal=\(personal.rawValue), "
             + "\(TableRenderer.grouped(Int(Double(outcome.rows) / seconds))) rows/s\n  digest \(outcome.digest)")
        extraAnnotation.append(("personal", personal.rawValue))
        return .pushed(warehouse: warehouse.name, dataset: dataset.name, rows: outcome.rows, digest: outcome.digest)
    }

    /// `with personal=none|masked|all` (none when not given); no other option.
    static func personalOption(_ options: [OptionPair]) throws(Diagnostic) -> WarehousePush.Personal {
        var personal = WarehousePush.Personal.none
        for option in options {
            guard option.key.text.lowercased() == "personal" else {
                throw Diagnostic("unknown option '\(option.key.text)' for push", at: option.key.range, hint: "push takes: personal")
            }
            guard let value = WarehousePush.Personal(rawValue: option.value.lowercased()) else {
                throw Diagnostic("personal must be none, masked or all, not '\(option.value)'", at: option.valueRange)
            }
            personal = value
        }
        return personal
    }
}
