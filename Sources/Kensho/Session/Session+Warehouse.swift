import Foundation

/// `attach postgres "URL" as WH` and `push DS using FP to WH [with personal=...]`.
extension Session {
    func performAttach(kind: Name, url: String, name: Name, range: SourceRange) throws -> StatementRecord.Outcome {
        guard ["postgres", "postgresql"].contains(kind.text.lowercased()) else {
            throw Diagnostic("unknown warehouse kind '\(kind.text)'", at: kind.range,
                             hint: "kensho attaches PostgreSQL-compatible servers: attach postgres \"postgresql://USER@HOST:PORT/DB\" as \(name.text)")
        }
        guard allowsWarehouses else {
            throw Diagnostic("replay does not connect to a warehouse a journal names unless given --allow-writes",
                             at: range, hint: "a replayed push would send data over the network to that server")
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

    /// Each attached warehouse's name and its pushed datasets as last seen, for Tab
    /// completion (no query is sent).
    public var warehouseDatasets: [String: [String]] {
        warehouses.mapValues(\.knownDatasets)
    }

    func performPush(_ source: PushSource, recipe recipeName: Name, to warehouseName: Name,
                     options: [OptionPair]) throws -> StatementRecord.Outcome {
        guard let warehouse = warehouses[warehouseName.text] else {
            throw Diagnostic("no warehouse named '\(warehouseName.text)' is attached", at: warehouseName.range,
                             hint: Suggestion.hint(for: warehouseName.text, in: warehouses.keys.sorted())
                                 ?? "attach one first: attach postgres \"postgresql://USER@HOST:PORT/DB\" as \(warehouseName.text)")
        }
        let (personal, loadOptions) = try Session.pushOptions(options, file: { if case .file = source { true } else { false } }())
        let recipe = try PipelineEvaluator.recipe(recipeName, in: recipes)
        if caseKey == nil {
            note("warning: '\(recipe.name)' is not keyed: whoever can read the warehouse can test guessed names and "
                 + "birth dates against these fingerprints (set key = env:NAME keys them)")
        }
        let progress = pushProgress
        let started = Clock.monotonicMilliseconds()
        let name: String
        let outcome: WarehousePush.Outcome
        var file: (path: String, sha256: String, size: Int)?
        switch source {
        case .dataset(let datasetName):
            let dataset = try catalog.resolve(datasetName)
            name = dataset.name
            let bound = try recipe.bind(to: dataset.table, datasetName: dataset.name, range: recipeName.range)
            let fingerprints = try Fingerprinter(bound: bound, key: caseKey)
                .compute(dataset.table, cache: fingerprintCache, isCancelled: isCancelled)
            let sources = dataset.sourceFile.map { "\($0.path) sha256:\($0.sha256)" } ?? "derived: \(dataset.name)"
            let push = WarehousePush(warehouse: warehouse, datasetName: name, recipe: recipe, key: caseKey,
                                     personal: personal, sources: sources, isCancelled: isCancelled)
            var batch: WarehousePush.Batch? = .init(table: dataset.table, fingerprints: fingerprints, firstOrdinal: 0)
            let total = dataset.table.rowCount
            outcome = try PipelineEvaluator.placing(at: warehouseName.range) {
                try push.run(next: { defer { batch = nil }; return batch }, progress: { progress?($0, total) })
            }
            progress?(total, total)
        case .file(let typedPath, let pathRange):
            let path = try inputResolver?(typedPath) ?? typedPath
            name = Loader.datasetName(forFile: typedPath)
            let stream: FilePush
            do {
                stream = try FilePush(path: path, datasetName: name, options: loadOptions, sliceSize: pushSliceSize,
                                      isCancelled: isCancelled)
            } catch let error as Diagnostic {
                throw error.placed(at: pathRange)
            }
            let push = WarehousePush(warehouse: warehouse, datasetName: name, recipe: recipe, key: caseKey, personal: personal,
                                     sources: "\(path) sha256:\(stream.sha256)", isCancelled: isCancelled)
            let size = stream.size
            // The rows are known only at the end: the progress line counts the file's bytes.
            let key = caseKey
            outcome = try PipelineEvaluator.placing(at: warehouseName.range) {
                try push.run(next: {
                    let batch = try stream.next(recipe: recipe, key: key, fingerprintRange: recipeName.range)
                    progress?(min(stream.bytesRead, size - 1), size)
                    return batch
                }, progress: { _ in })
            }
            progress?(size, size)
            file = (path, stream.sha256, size)
            if stream.recordsWithProblems > 0 {
                note("\(TableRenderer.grouped(stream.recordsWithProblems)) record(s) were pushed with problems "
                     + "(a field count that differs from the header); load the file to list them: rejects DS")
            }
            if let encoding = stream.encoding, encoding.name != "utf-8" { note("read as \(encoding.description)") }
        }
        warehouse.remember(name)
        let seconds = max(0.001, (Clock.monotonicMilliseconds() - started) / 1000)
        note("pushed \(name) to \(warehouse.name): \(TableRenderer.grouped(outcome.rows)) rows "
             + "(\(TableRenderer.grouped(outcome.fingerprinted)) fingerprinted), personal=\(personal.rawValue), "
             + "\(TableRenderer.grouped(Int(Double(outcome.rows) / seconds))) rows/s\n  digest \(outcome.digest)")
        if let file {
            extraAnnotation.append(("input", file.path))
            extraAnnotation.append(("sha256", file.sha256))
            extraAnnotation.append(("size", String(file.size)))
        }
        extraAnnotation.append(("personal", personal.rawValue))
        return .pushed(warehouse: warehouse.name, dataset: name, rows: outcome.rows, digest: outcome.digest)
    }

    /// `with personal=none|masked|all` (none when not given) and, for a file, the load
    /// options (`encoding`, `delimiter`, `header`, `errors`, `format`).
    static func pushOptions(_ options: [OptionPair], file: Bool) throws(Diagnostic) -> (WarehousePush.Personal, LoadOptions) {
        var personal = WarehousePush.Personal.none
        var loadPairs: [OptionPair] = []
        for option in options {
            guard option.key.text.lowercased() == "personal" else {
                if file { loadPairs.append(option); continue }
                throw Diagnostic("unknown option '\(option.key.text)' for push", at: option.key.range, hint: "push takes: personal")
            }
            guard let value = WarehousePush.Personal(rawValue: option.value.lowercased()) else {
                throw Diagnostic("personal must be none, masked or all, not '\(option.value)'", at: option.valueRange)
            }
            personal = value
        }
        return (personal, try LoadOptions(loadPairs))
    }
}
