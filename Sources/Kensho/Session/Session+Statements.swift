import Synchronization
import Foundation

/// What each statement does.
extension Session {
    func perform(_ statement: Statement, range: SourceRange, source: SourceText) throws -> StatementRecord.Outcome {
        switch statement {
        case .load(let load):
            return try performLoad(load)
        case .bind(let name, let pipeline):
            let table = try evaluate(pipeline)
            var dataset = Dataset(name: name.dotted, table: table, origin: .derived(statement: source.slice(range)))
            dataset.assignRoles()
            put(dataset)
            note("\(name.dotted): \(TableRenderer.grouped(table.rowCount)) row\(table.rowCount == 1 ? "" : "s")")
            return .bound(name: name.dotted, table: table)
        case .query(let pipeline):
            let table = try evaluate(pipeline)
            print(table)
            return .result(table)
        case .export(let export):
            return try performExport(export)
        case .set(let name, let value, let valueRange):
            var confirmation = try settings.apply(name, value, valueRange: valueRange)
            if name.text.lowercased() == "key", let setting = settings.key {
                do { caseKey = try CaseKey.fromSetting(setting) } catch {
                    settings.key = nil
                    throw error.placed(at: valueRange)
                }
                // Only the key's id is shown and journaled, never the key.
                confirmation += " (\(caseKey!.id))"
                note("fingerprints are now keyed with \(caseKey!.id)")
            }
            return .setting(confirmation)
        case .describe(let name):
            let dataset = try catalog.resolve(name)
            describe(dataset)
            return .info
        case .history:
            let rows = history.dropLast().enumerated().map { [Value.integer(Int64($0.offset + 1)), .text($0.element)] }
            print(Table.build([("n", .integer), ("statement", .text)], rows: Array(rows)))
            return .info
        case .help(let topic):
            output.write(try Help.text(for: topic, range: range))
            return .info
        case .save(let path):
            guard let journal else {
                throw Diagnostic("this session is not journaled (it was started with --no-journal)", at: range)
            }
            let copy = try FileBytes(path: journal.path)
            try FileOutput.writeAtomically(copy.bytes, to: path, pathRange: range)
            note("saved the journal so far (\(journal.entryCount) entries, head \(journal.head)) to \(path)")
            return .info
        case .role(let datasetName, let column, let role):
            var dataset = try catalog.resolve(datasetName)
            guard let field = dataset.table.column(field: QualifiedName([column])), !field.isProvenance else {
                throw unknownColumn(QualifiedName([column]), in: dataset.table)
            }
            let assignment: RoleAssignment?
            if role.text.lowercased() == "none" {
                assignment = nil
            } else {
                guard let value = Role(rawValue: role.text.lowercased()) else {
                    throw Diagnostic("unknown role '\(role.text)'", at: role.range,
                                     hint: Suggestion.hint(for: role.text, in: Role.allCases.map(\.rawValue) + ["none"])
                                         ?? "roles: " + Role.allCases.map(\.rawValue).joined(separator: ", ") + ", none")
                }
                if let holder = dataset.roles.first(where: { $0.value.role == value && $0.key != field.name }) {
                    dataset.assign(nil, to: holder.key)
                    note("'\(holder.key)' no longer has role '\(value.rawValue)'")
                }
                assignment = RoleAssignment(role: value, evidence: "set by: \(source.slice(range))")
            }
            dataset.assign(assignment, to: field.name)
            put(dataset)
            return .setting("role \(dataset.name).\(field.name) = \(assignment?.role.rawValue ?? "none")")
        case .untag(let label, let condition):
            var remove = Set<Int>()
            if let condition {
                let table = findings.table
                let rows = try ExpressionEvaluator(table: table, functions: functions).filter(condition)
                remove = Set(rows.indices.map(Int.init))
            }
            let removed = findings.remove { position, tag in
                tag.label == label.text && (condition == nil || remove.contains(position))
            }
            note("untagged \(removed) row\(removed == 1 ? "" : "s") from '\(label.text)'")
            return .setting("untag \(label.text): \(removed) rows")
        case .note(let label, let text):
            findings.addNote(.init(label: label.text, text: text,
                                   operatorName: settings.operatorName ?? Environment.userName ?? "unknown",
                                   time: statementTime))
            return .setting("note \(label.text)")
        case .fingerprint(let statement):
            let recipe = try Recipe.make(statement)
            recipes[recipe.name] = recipe
            let keyed = caseKey.map { ", keyed with \($0.id)" } ?? ""
            note("fingerprint \(recipe.name) = \(recipe.definition)  (header \(recipe.header)\(keyed))")
            return .setting("fingerprint \(recipe.name) = \(recipe.definition)")
        case .attach(let kind, let url, let name):
            return try performAttach(kind: kind, url: url, name: name, range: range)
        case .push(let source, let recipe, let warehouse, let options):
            return try performPush(source, recipe: recipe, to: warehouse, options: options)
        }
    }

    static func keyword(of statement: Statement) -> String {
        switch statement {
        case .fingerprint: return "fingerprint"
        case .role: return "role"
        case .attach: return "attach"
        case .push: return "push"
        case .untag: return "untag"
        case .note: return "note"
        case .save: return "save"
        default: return "statement"
        }
    }

    func evaluate(_ pipeline: Pipeline) throws -> Table {
        var evaluator = PipelineEvaluator(catalog: catalog, functions: functions, isCancelled: isCancelled)
        evaluator.findings = findings
        evaluator.recipes = recipes
        evaluator.caseKey = caseKey
        evaluator.fingerprintCache = fingerprintCache
        evaluator.warehouses = warehouses
        evaluator.onWarehouseSQL = { [unowned self] warehouse, sql in
            self.extraAnnotation.append(("warehouse", warehouse))
            self.extraAnnotation.append(("sql", sql))
        }
        evaluator.note = { [unowned self] text in self.note(text) }
        evaluator.onTreeDiff = { [unowned self] a, b in
            if !self.treeDiffs.contains(where: { $0 == (a, b) }) { self.treeDiffs.append((a, b)) }
        }
        // Tags from one statement are kept only if the whole statement succeeds.
        var pending: [FindingLog.Tag] = []
        let operatorName = settings.operatorName ?? Environment.userName ?? "unknown"
        let time = statementTime
        evaluator.tagger = { label, note, table, range in
            pending += try Tagging.tags(for: table, label: label, note: note, operatorName: operatorName, time: time, range: range)
        }
        let result = try evaluator.evaluate(pipeline)
        taggedByStatement += findings.add(pending)
        return result
    }

    // MARK: - load

    private func performLoad(_ load: LoadStatement) throws -> StatementRecord.Outcome {
        let options: LoadOptions
        do { options = try LoadOptions(load.options) }
        let loader = Loader(isCancelled: isCancelled, progress: loadProgress)
        let plan: [(path: String, name: String)]
        do { plan = try loader.plan(.init(path: load.path, alias: load.alias?.text, options: options)) } catch {
            throw error.placed(at: load.pathRange)
        }
        // All files load before any is added: a glob either loads completely or not at all.
        // A glob's files load two at a time, one per core (the first error, in file order,
        // is the one reported).
        let resolved: [(path: String, name: String, read: String)]
        do {
            resolved = try plan.map { (path: $0.path, name: $0.name, read: try inputResolver?($0.path) ?? $0.path) }
        } catch let error as Diagnostic { throw error.placed(at: load.pathRange) }
        let alias = load.alias?.text
        let slots = UnsafeMutableBufferPointer<Result<[Dataset], any Error>?>.allocate(capacity: resolved.count)
        slots.initialize(repeating: nil)
        defer {
            _ = slots.deinitialize()
            slots.deallocate()
        }
        let next = Atomic<Int>(0)
        let cancelled = isCancelled
        concurrentlyForEach(min(2, resolved.count)) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < resolved.count else { return }
                if cancelled() {
                    slots[index] = .failure(Cancelled())
                    continue
                }
                let file = resolved[index]
                slots[index] = Result {
                    try loader.load(path: file.read, name: file.name, options: options, nameIsAlias: file.name == alias)
                }
            }
        }
        var datasets: [Dataset] = []
        for (index, file) in resolved.enumerated() {
            for var dataset in try slots[index]!.get() {
                // Replay may find a moved input elsewhere; the datasets still record the path as typed.
                if file.read != file.path, case .file(var source) = dataset.origin {
                    source.path = file.path
                    dataset.origin = .file(source)
                }
                datasets.append(dataset)
            }
        }
        var inputs: [StatementRecord.LoadedInput] = []
        for var dataset in datasets {
            dataset.assignRoles()
            put(dataset)
            guard let file = dataset.sourceFile else { continue }
            // The tables of one database share its file: record it once.
            if !inputs.contains(where: { $0.file.path == file.path && $0.file.sha256 == file.sha256 }) {
                inputs.append(.init(dataset: dataset.name, file: file, rows: dataset.table.rowCount))
            }
            if file.format == "dir" {
                note(Session.treeLoadSummary(dataset, file))
                continue
            }
            let columns = dataset.table.visibleIndices.count
            let rows = dataset.table.rowCount
            var text = "\(dataset.name): \(TableRenderer.grouped(rows)) row\(rows == 1 ? "" : "s"), \(columns) column\(columns == 1 ? "" : "s") from \(file.path)\n"
            text += "  \(file.format), \(file.layout); \(file.encoding.description); \(TableRenderer.grouped(file.size)) bytes\n"
            text += "  sha256 \(file.sha256)\n"
            text += Session.linkNote(file.path)
            if !dataset.loadIssues.isEmpty {
                let first = dataset.loadIssues[0]
                text += "  warning: \(dataset.loadIssues.count) record\(dataset.loadIssues.count == 1 ? "" : "s") kept with problems"
                text += " (first at line \(first.line): \(first.reason)); see: rejects \(dataset.name)\n"
            }
            note(text)
        }
        return .loaded(inputs)
    }

    // MARK: - export

    private func performExport(_ export: ExportStatement) throws -> StatementRecord.Outcome {
        var table: Table
        switch export.subject {
        case .pipeline(let pipeline): table = try evaluate(pipeline)
        case .findings:
            let lowered = export.path.lowercased()
            let format = export.format?.text.lowercased()
                ?? (lowered.hasSuffix(".html") || lowered.hasSuffix(".htm") ? "html" : lowered.hasSuffix(".md") ? "md" : nil)
            if format == "html" || format == "md" {
                return try performReport(export, html: format == "html")
            }
            table = findings.table
        case .fingerprints(let datasetName, let recipeName):
            let dataset = try catalog.resolve(datasetName)
            guard let recipe = recipes[recipeName.text] else {
                throw Diagnostic("unknown fingerprint '\(recipeName.text)'", at: recipeName.range,
                                 hint: Suggestion.hint(for: recipeName.text, in: recipes.keys.sorted()))
            }
            guard let caseKey else {
                throw Diagnostic("exported fingerprints must be keyed: set a case key first", at: recipeName.range,
                                 hint: "set key = env:NAME (unkeyed fingerprints of names and birth dates can be reversed by guessing)")
            }
            let bound = try recipe.bind(to: dataset.table, datasetName: dataset.name, range: recipeName.range)
            let result = try Fingerprinter(bound: bound, key: caseKey).compute(dataset.table, cache: fingerprintCache, isCancelled: isCancelled)
            table = FingerprintExchange.table(result, recipe: recipe, key: caseKey)
        case .notification(let originName, let recipeName):
            return try performNotification(export, origin: originName, recipeName: recipeName)
        }
        let format = try ExportFormat.resolve(export.format, path: export.path)
        let masked = export.masking?.text == "masked" || (settings.mask == "all" && export.masking?.text != "unmasked")
        if masked { table = Masking.apply(to: table) }
        let target = exportRedirect?(export.path) ?? export.path
        let written = try ExportWriter(path: target, pathRange: export.pathRange, inputs: inputPaths)
            .write(table, as: format, masked: masked)
        note("exported \(TableRenderer.grouped(table.rowCount)) rows to \(target) (\(format.rawValue), \(masked ? "masked" : "unmasked"))\n  sha256 \(written.sha256)")
        return .exported(path: export.path, table: table, sha256: written.sha256)
    }

    /// `export notification for ORIGIN using FP to DIR`.
    private func performNotification(_ export: ExportStatement, origin originName: QualifiedName,
                                     recipeName: Name) throws -> StatementRecord.Outcome {
        let origin = try catalog.resolve(originName)
        guard let recipe = recipes[recipeName.text] else {
            throw Diagnostic("unknown fingerprint '\(recipeName.text)'", at: recipeName.range,
                             hint: Suggestion.hint(for: recipeName.text, in: recipes.keys.sorted()))
        }
        let others = catalog.datasets.filter {
            $0.name != origin.name && $0.sourceFile != nil && !["dir", "fingerprints"].contains($0.sourceFile!.format)
        }
        let packet = try NotificationPacket.make(origin: origin, recipe: recipe, others: others, key: caseKey,
                                                 isCancelled: isCancelled, range: recipeName.range)
        let directory = exportRedirect?(export.path) ?? export.path
        let files = try packet.write(to: directory, journal: journal.map { ($0.path, $0.entryCount, $0.head) },
                                     operatorName: settings.operatorName ?? Environment.userName ?? "unknown",
                                     range: export.pathRange)
        let total = packet.receivers.reduce(0) { $0 + $1.rows.count }
        note("wrote a notification for \(origin.name) to \(directory): \(packet.receivers.count) systems, \(total) copies; "
             + files.map { String($0.split(separator: "/").last ?? "") }.joined(separator: ", "))
        let summary = Table.build([("system", .text), ("copies", .integer)],
                                  rows: packet.receivers.map { [.text($0.name), .integer(Int64($0.rows.count))] })
        return .exported(path: export.path, table: summary, sha256: "")
    }

    /// `export findings to PATH as md|html`: the investigation report.
    private func performReport(_ export: ExportStatement, html: Bool) throws -> StatementRecord.Outcome {
        let masked = export.masking?.text != "unmasked"
        let report = try makeReport(masked: masked)
        let text = html ? ReportWriter.html(report) : ReportWriter.markdown(report)
        let target = exportRedirect?(export.path) ?? export.path
        let bytes = Array(text.utf8)
        var info = stat()
        for input in inputPaths where stat(input, &info) == 0 {
            var targetInfo = stat()
            if stat(target, &targetInfo) == 0, targetInfo.st_ino == info.st_ino, targetInfo.st_dev == info.st_dev {
                throw Diagnostic("refusing to overwrite '\(export.path)': it is a loaded input", at: export.pathRange)
            }
        }
        try FileOutput.writeAtomically(bytes, to: target, pathRange: export.pathRange)
        let sha256 = SHA256Digest.hex(of: bytes)
        note("wrote the \(html ? "HTML" : "Markdown") report to \(target) (\(masked ? "masked" : "unmasked"))\n  sha256 \(sha256)")
        return .exported(path: export.path, table: findings.table, sha256: sha256)
    }

    /// Paths of every loaded input, so an export never overwrites evidence.
    var inputPaths: [String] {
        catalog.datasets.compactMap { $0.sourceFile?.path }
    }

    // MARK: - describe

    private func describe(_ dataset: Dataset) {
        if let file = dataset.sourceFile {
            // A tree's layout already says how its names were read.
            let encoding = file.format == "dir" ? "" : "; \(file.encoding.description)"
            note("\(dataset.name): loaded from \(file.path)\n  \(file.format), \(file.layout)\(encoding)\n  \(TableRenderer.grouped(file.size)) bytes, sha256 \(file.sha256)")
        } else if case .derived(let statement) = dataset.origin {
            note("\(dataset.name): derived by: \(statement)")
        }
        let table = dataset.table
        var rows: [[Value]] = []
        for (index, field) in table.fields.enumerated() {
            let column = table.columns[index]
            var filled = 0
            for row in 0..<table.rowCount where !column.isNull(row) { filled += 1 }
            let distinct = (try? GroupIndex(keys: KeyColumns([column]), rowCount: table.rowCount, groupNulls: true))?.groupCount ?? 0
            rows.append([.text(field.name), .text(field.type.rawValue), .integer(Int64(filled)),
                         .integer(Int64(table.rowCount - filled)), .integer(Int64(distinct)),
                         field.isProvenance ? .text("provenance") : .null])
        }
        print(Table.build([("column", .text), ("type", .text), ("filled", .integer), ("null", .integer),
                           ("distinct", .integer), ("note", .text)], rows: rows))
        if !dataset.loadIssues.isEmpty {
            note("\(dataset.loadIssues.count) record(s) kept with problems; see: rejects \(dataset.name)")
        }
        // Rows that get no fingerprint never match: say how many, per recipe.
        for name in recipes.keys.sorted() {
            let recipe = recipes[name]!
            guard let bound = try? recipe.bind(to: table, datasetName: dataset.name, range: .none),
                  let result = try? Fingerprinter(bound: bound, key: caseKey).compute(table, cache: fingerprintCache, isCancelled: isCancelled)
            else { continue }
            let missing = result.missing
            note("fingerprint \(name): \(TableRenderer.grouped(table.rowCount - missing)) rows fingerprinted, "
                 + "\(TableRenderer.grouped(missing)) without (a field empty or invalid)")
        }
    }
}
