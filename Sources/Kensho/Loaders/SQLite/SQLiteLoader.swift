import CSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads an SQLite database: each stored table becomes its own dataset, named
/// `x.TABLE` (x the alias or the file's stem; table names made into plain names the
/// way file names are), or with `table=NAME` just that table, named by the alias or
/// `x.NAME`.
///
/// The evidence is never touched: the file is read once with `read(2)` and hashed, and
/// SQLite reads those same bytes from memory (`SQLiteDatabase`), so the hash is of what
/// was parsed, no lock, `-wal`, `-shm` or `-journal` file is created and the file's
/// modification time stays as it was. Because reading the file alone misses a
/// write-ahead log or a hot rollback journal lying beside it — committed rows that
/// would silently be missing, or a half-written transaction read as data — the loader
/// refuses such a database and says how to load a checkpointed copy. A file that
/// changes size while it is read is refused (`FileBytes`).
///
/// `_source` is the SHA-256 of the database file; `_line` is the rowid (for WITHOUT
/// ROWID tables, the row number in primary-key order). Column types follow SQLite's
/// storage classes (`SQLiteTableReader`). A file that is not a database, is encrypted,
/// truncated or damaged fails with SQLite's message, the file, what the header shows,
/// and what to do; nothing of it is loaded.
struct SQLiteLoader {
    var path: String
    var options: LoadOptions
    /// The dataset name given by the plan: the alias, or the file's stem.
    var datasetName: String
    /// Whether `datasetName` is the user's alias (it then names the one table of `table=`).
    var nameIsAlias: Bool
    var isCancelled: @Sendable () -> Bool

    func load() throws -> [Dataset] {
        let file = try FileBytes(path: path)
        guard file.count > 0 else {
            throw Diagnostic("'\(path)' is empty (0 bytes), not an SQLite database", in: FileLocation(path: path),
                             notes: ["nothing was loaded"])
        }
        let header = SQLiteHeader(file.buffer)
        try checkCompanionFiles()
        // SQLite reads bytes past the end of a short file as zeros: a value cut off would
        // load as empty (a 1 as NULL), not fail. So the size is checked first.
        if let problem = header.sizeProblem {
            throw Diagnostic("'\(path)' is not a whole SQLite database: \(problem)", in: FileLocation(path: path),
                             notes: ["nothing was loaded: the file was cut short, or its header is damaged",
                                     SQLiteLoader.recoverAdvice])
        }
        // Measured: SQLite's reading and the columns take about two and a half times the file.
        try MemoryBudget.check(file.count * 5 / 2, for: "its tables", path: path)
        nonisolated(unsafe) let raw = file.buffer
        let sha256: String
        let read: Read
        if header.isWriteAheadLog {
            // The hash is of the file as it is, so it is taken before the copy's header changes.
            sha256 = SHA256Digest.hex(of: raw)
            SQLiteHeader.clearWriteAheadLogMode(in: file.arena.base)
            read = try readTables(file.arena, header)
        } else {
            (sha256, read) = try concurrently({ SHA256Digest.hex(of: raw) }, { try readTables(file.arena, header) })
        }

        var datasets: [Dataset] = []
        var taken: Set<String> = []
        let skipped = read.skipped.map { "\($0.type == "view" ? "view" : "virtual table") '\($0.name)'" }
        for (table, result) in read.tables {
            var name = options.table != nil && nameIsAlias ? datasetName : "\(datasetName).\(Loader.sanitizedName(table.name))"
            let base = name
            var suffix = 2
            while taken.contains(name) {
                name = "\(base)_\(suffix)"
                suffix += 1
            }
            taken.insert(name)
            var layout = "\(table.type == "shadow" ? "shadow table" : "table") '\(table.name)', \(result.lineMeaning)"
            if !skipped.isEmpty { layout += "; not loaded: " + skipped.joined(separator: ", ") }
            let encoding = EncodingDecision(name: read.encoding, how: "declared by the database", confidence: 1,
                                            replacedBytes: result.replacedBytes)
            let source = SourceFile(path: path, sha256: sha256, size: file.count, modified: file.modified, format: "sqlite",
                                    layout: layout, encoding: encoding)
            let provenance = Provenance.columns(dataset: name, sha256: sha256, lines: result.lines)
            let tableData = Table(fields: result.fields + provenance.fields, columns: result.columns + provenance.columns,
                                  rowCount: result.lines.count)
            datasets.append(Dataset(name: name, table: tableData, origin: .file(source)))
        }
        return datasets
    }

    private struct Read {
        var encoding: String
        var tables: [(SQLiteTable, SQLiteTableReader.Result)]
        var skipped: [SQLiteTable]
    }

    private func readTables(_ bytes: ByteArena, _ header: SQLiteHeader) throws -> Read {
        var current: String?
        do {
            let database = try SQLiteDatabase(reading: bytes)
            try checkStructure(of: database)
            let all = try SQLiteTable.list(in: database)
            let encodingStatement = try database.prepare("PRAGMA encoding")
            let encoding = try encodingStatement.step() ? (encodingStatement.text(0) ?? "UTF-8").lowercased() : "utf-8"
            let chosen: [SQLiteTable]
            let skipped: [SQLiteTable]
            if let wanted = options.table {
                chosen = [try table(named: wanted, in: all)]
                skipped = []
            } else {
                chosen = all.filter(\.isStored)
                skipped = all.filter { !$0.isStored }
            }
            guard !chosen.isEmpty else {
                throw Diagnostic("'\(path)' holds no tables", in: FileLocation(path: path),
                                 notes: ["nothing was loaded"]
                                     + (skipped.isEmpty ? [] : ["it holds only " + skipped.map { "\($0.type) '\($0.name)'" }.joined(separator: ", ")]))
            }
            var tables: [(SQLiteTable, SQLiteTableReader.Result)] = []
            for table in chosen {
                current = table.name
                let reader = SQLiteTableReader(database: database, table: table, path: path,
                                               replaceInvalidUTF8: options.errors == "replace", isCancelled: isCancelled)
                tables.append((table, try reader.read()))
            }
            return Read(encoding: encoding, tables: tables, skipped: skipped)
        } catch let failure as SQLiteFailure {
            throw diagnostic(for: failure, table: current, header: header)
        }
    }

    /// The table `table=` names: exactly, or the one whose name differs only in case (as
    /// SQLite itself matches names).
    private func table(named wanted: String, in all: [SQLiteTable]) throws -> SQLiteTable {
        let lowered = wanted.lowercased()
        guard let table = all.first(where: { $0.name == wanted }) ?? all.first(where: { $0.name.lowercased() == lowered }) else {
            let stored = all.filter(\.isStored).map(\.name)
            throw Diagnostic("no table '\(wanted)' in '\(path)'", hint: Suggestion.hint(for: wanted, in: stored),
                             notes: [stored.isEmpty ? "the database holds no tables" : "tables: " + stored.map { "'\($0)'" }.joined(separator: ", ")])
        }
        guard table.isStored else {
            throw Diagnostic("'\(table.name)' is a \(table.type == "view" ? "view" : "virtual table"), not a stored table",
                             in: FileLocation(path: path),
                             notes: ["kensho loads the tables stored in the file; "
                                     + (table.type == "view" ? "a view is a query over them" : "a virtual table keeps its data in its shadow tables")])
        }
        return table
    }

    /// Refuses a database with a write-ahead log or a hot journal beside it: reading the
    /// file alone would not see what they hold.
    private func checkCompanionFiles() throws {
        let walMagic: [[UInt8]] = [[0x37, 0x7F, 0x06, 0x82], [0x37, 0x7F, 0x06, 0x83]]
        let journalMagic: [UInt8] = [0xD9, 0xD5, 0x05, 0xF9, 0x20, 0xA1, 0x63, 0xD7]
        let copyAdvice = "copy the database and the files beside it to a working folder, open the copy once with sqlite3"
            + " (which applies or rolls back what they hold), and load the copy; cite the original files' sha256"
        if let head = SQLiteLoader.firstBytes(of: path + "-wal", count: 4), walMagic.contains(head) {
            throw Diagnostic("'\(path)' has a write-ahead log beside it ('\(path)-wal') whose changes may not be in the database file yet",
                             in: FileLocation(path: path),
                             notes: ["nothing was loaded: kensho reads the database file alone, which would miss those changes", copyAdvice])
        }
        if let head = SQLiteLoader.firstBytes(of: path + "-journal", count: 8), head == journalMagic {
            throw Diagnostic("'\(path)' has a hot journal beside it ('\(path)-journal'): a transaction was interrupted",
                             in: FileLocation(path: path),
                             notes: ["nothing was loaded: the database file may hold half of that transaction", copyAdvice])
        }
    }

    /// The first `count` bytes of a regular file, or nil when there is none or it is
    /// shorter. Opened without blocking, so a fifo by that name cannot hang the load.
    private static func firstBytes(of path: String, count: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, count) }
        return n == count ? bytes : nil
    }

    /// Refuses a database whose b-trees do not add up (`PRAGMA quick_check`). Reading
    /// a damaged page can succeed and silently skip rows — a leaf whose cell count was
    /// lowered by one byte's damage loads one row fewer, without an error — so the
    /// structure is checked before anything is read. (Damage inside a value cannot be
    /// seen: SQLite keeps no checksums.)
    private func checkStructure(of database: SQLiteDatabase) throws {
        let check = try database.prepare("PRAGMA quick_check(4)")
        var problems: [String] = []
        while try check.step() {
            // A row can start with "*** in database main ***" and a line break.
            for line in (check.text(0) ?? "").split(separator: "\n") where line != "ok" && !line.hasPrefix("***") {
                problems.append(String(line))
            }
        }
        guard !problems.isEmpty else { return }
        throw Diagnostic("'\(path)' is damaged: SQLite's structure check found \(problems.count == 4 ? "at least 4 problems" : "\(problems.count) problem\(problems.count == 1 ? "" : "s")")",
                         in: FileLocation(path: path),
                         notes: ["nothing was loaded: reading it could skip rows without an error"]
                             + problems.map { "quick_check: \($0)" } + [SQLiteLoader.recoverAdvice])
    }

    static let recoverAdvice = "to load what is still readable, recover a copy (sqlite3 COPY .recover | sqlite3 RECOVERED)"
        + " and load the recovered database; cite both files' sha256"

    /// SQLite's error with the file, what the header shows, and what to do.
    private func diagnostic(for failure: SQLiteFailure, table: String?, header: SQLiteHeader) -> Diagnostic {
        let subject = table.map { "cannot read table '\($0)' of '\(path)'" } ?? "cannot read '\(path)' as an SQLite database"
        let recover = SQLiteLoader.recoverAdvice
        var notes = ["nothing was loaded"]
        switch failure.primaryCode {
        case SQLITE_NOTADB:
            if header.hasMagic {
                notes += ["the file begins like an SQLite database, but its header is damaged", recover]
            } else {
                notes += ["the file does not begin with the SQLite header ('SQLite format 3'): it is another kind of file,"
                          + " or an encrypted database (SQLCipher, SEE: decrypt a copy with its key and load the copy)",
                          "if it is a text export, load it with format=csv, format=json or format=jsonl"]
            }
        case SQLITE_CORRUPT:
            notes += ["the database file is damaged", recover]
        default:
            if failure.message.contains("pragma_table_list") {
                notes.append("kensho needs SQLite 3.37 or later; this system has \(String(cString: sqlite3_libversion()))")
            }
        }
        return Diagnostic("\(subject): \(failure.message)", in: FileLocation(path: path), notes: notes)
    }
}
