#if canImport(Glibc)
import Glibc
private let systemGlob = Glibc.glob
#elseif canImport(Darwin)
import Darwin
private let systemGlob = Darwin.glob
#endif

/// Turns a `load` statement into datasets: expands a glob into one dataset per match,
/// picks the format from the options or the file name, and names each dataset.
///
/// A glob's datasets are named after the path segment that differs between matches
/// (`dumps/*/patrons.csv` gives one dataset per folder), so a sweep over many systems
/// reads as the systems' names.
public struct Loader: Sendable {
    public var isCancelled: @Sendable () -> Bool
    /// Told how far a long load has got, as (bytes done, bytes in all), from any
    /// thread and often (once per file and per 1 MiB read), so it must be cheap and
    /// thread-safe and do its own throttling. A last call with done == total marks the
    /// end, also when the load fails or is cancelled. Only tree manifests report
    /// progress for now. The engine never draws it: the shell decides whether and how.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(isCancelled: @escaping @Sendable () -> Bool = { false },
                progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.isCancelled = isCancelled
        self.progress = progress
    }

    public struct Request: Sendable {
        public var path: String
        public var alias: String?
        public var options: LoadOptions

        public init(path: String, alias: String?, options: LoadOptions) {
            self.path = path
            self.alias = alias
            self.options = options
        }
    }

    /// The files a request names, each with the dataset name it will get.
    public func plan(_ request: Request) throws(Diagnostic) -> [(path: String, name: String)] {
        let isGlob = request.path.contains(where: { "*?[".contains($0) })
        guard isGlob else {
            let name = request.alias ?? (Loader.isDirectory(request.path)
                ? Loader.datasetName(forDirectory: request.path) : Loader.datasetName(forFile: request.path))
            return [(request.path, name)]
        }
        let rawMatches = Loader.glob(request.path)
        guard !rawMatches.isEmpty else {
            throw Diagnostic("no files match '\(request.path)'", in: FileLocation(path: request.path))
        }
        let matches = try rawMatches.map { bytes throws(Diagnostic) in try Loader.utf8Path(bytes, pattern: request.path) }
            .sorted()
        let names = Loader.differingSegmentNames(matches)
        return zip(matches, names).map { path, name in
            (path, request.alias.map { "\($0).\(name)" } ?? name)
        }
    }

    /// Loads one planned file: one dataset, or one per table of an SQLite database.
    /// `nameIsAlias` says that `name` is the user's `as NAME` (see `SQLiteLoader`).
    public func load(path: String, name: String, options: LoadOptions, nameIsAlias: Bool = false) throws -> [Dataset] {
        do {
            return try loadFormat(path: path, name: name, options: options, nameIsAlias: nameIsAlias)
        } catch let error as OutOfMemory {
            throw Diagnostic("not enough memory to load '\(path)': the system refused \(TableRenderer.grouped(error.bytes)) bytes more",
                             in: FileLocation(path: path),
                             notes: ["nothing was loaded", MemoryBudget.advice])
        }
    }

    private func loadFormat(path: String, name: String, options: LoadOptions, nameIsAlias: Bool) throws -> [Dataset] {
        let format = try Loader.format(of: path, options: options)
        try Loader.checkOptions(options, applyTo: format)
        switch format {
        case "csv", "tsv":
            var csvOptions = options
            csvOptions.format = format
            return [try CSVLoader(path: path, options: csvOptions, datasetName: name, isCancelled: isCancelled).load()]
        case "json", "jsonl":
            return [try JSONLoader(path: path, format: format, options: options, datasetName: name,
                                   isCancelled: isCancelled).load()]
        case "sqlite":
            return try SQLiteLoader(path: path, options: options, datasetName: name, nameIsAlias: nameIsAlias,
                                    isCancelled: isCancelled).load()
        case "fingerprints":
            var csvOptions = options
            csvOptions.format = "csv"
            var dataset = try CSVLoader(path: path, options: csvOptions, datasetName: name, isCancelled: isCancelled).load()
            guard FingerprintExchange.columns.allSatisfy({ dataset.table.index(of: $0) != nil }) else {
                throw Diagnostic("'\(path)' is not a fingerprint set: it needs the columns "
                                 + FingerprintExchange.columns.joined(separator: ", "), in: FileLocation(path: path),
                                 notes: ["fingerprint sets are written by: export fingerprints of DS using FP to PATH"])
            }
            _ = try FingerprintExchange.provenance(of: dataset.table)
            if case .file(var file) = dataset.origin {
                file.format = "fingerprints"
                dataset.origin = .file(file)
            }
            return [dataset]
        case "dir":
            return [try TreeLoader(path: path, datasetName: name, isCancelled: isCancelled, progress: progress).load()]
        default:
            throw Diagnostic("loading format '\(format)' is not implemented yet", in: FileLocation(path: path))
        }
    }

    /// An option that does nothing for the format is an error, not silently ignored.
    static func checkOptions(_ options: LoadOptions, applyTo format: String) throws(Diagnostic) {
        var given: [String] = []
        if options.delimiter != nil, !["csv", "tsv"].contains(format) { given.append("delimiter") }
        if options.header != nil, !["csv", "tsv"].contains(format) { given.append("header") }
        if options.table != nil, !["json", "sqlite"].contains(format) { given.append("table") }
        if options.encoding != nil, format == "sqlite" { given.append("encoding") }
        guard let first = given.first else { return }
        throw Diagnostic("option '\(first)' does not apply to format \(format)",
                         notes: format == "sqlite" && first == "encoding"
                             ? ["an SQLite database declares its own encoding"] : [])
    }

    /// The format named in the options; else `dir` for a directory, else by extension.
    static func format(of path: String, options: LoadOptions) throws(Diagnostic) -> String {
        if let format = options.format { return format }
        if isDirectory(path) { return "dir" }
        let lowered = path.lowercased()
        if lowered.hasSuffix(".tsv") || lowered.hasSuffix(".tab") { return "tsv" }
        if lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") { return "jsonl" }
        if lowered.hasSuffix(".json") { return "json" }
        if lowered.hasSuffix(".sqlite") || lowered.hasSuffix(".sqlite3") || lowered.hasSuffix(".db") { return "sqlite" }
        return "csv"
    }

    /// A dataset name from a file name: the stem, with characters that would need
    /// backticks replaced by `_` (`minato-kita.csv` → `minato_kita`).
    public static func datasetName(forFile path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        var stem = file
        if let dot = file.lastIndex(of: "."), dot != file.startIndex { stem = String(file[..<dot]) }
        return sanitizedName(stem)
    }

    /// A dataset name from a directory: its own name, whole (`web.v2` → `web_v2`), also
    /// when the path ends in `/`, `.` or `..` (then the name of the directory it resolves to).
    public static func datasetName(forDirectory path: String) -> String {
        var last = path.split(separator: "/").last.map(String.init) ?? ""
        if last == "." || last == "..", let resolved = realpath(path, nil) {
            last = String(cString: resolved).split(separator: "/").last.map(String.init) ?? ""
            free(resolved)
        }
        return sanitizedName(last)
    }

    /// Where `path` points when it is itself a symbolic link. A path the user names, or
    /// a glob matches, is followed as any program's open follows it; the load then says
    /// so, because the bytes come from elsewhere — perhaps from outside the evidence
    /// folder a link was planted in. (Below a tree's root, links are never followed.)
    public static func symbolicLinkTarget(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return nil }
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBytes { readlink(path, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count - 1) }
        return count < 0 ? "?" : FileNameDecoding.display(Array(buffer[..<count])).text
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func sanitizedName(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
                || [0x3005, 0x30FC].contains(scalar.value)
            {
                out.unicodeScalars.append(scalar)
            } else {
                out.append("_")
            }
        }
        if out.isEmpty { return "data" }
        if let first = out.unicodeScalars.first, first.properties.numericType != nil { out = "_" + out }
        return out
    }

    /// For each path, the segment that differs between the paths (without extension
    /// when it is the file name); falls back to the file stem.
    static func differingSegmentNames(_ paths: [String]) -> [String] {
        guard paths.count > 1 else { return paths.map(datasetName(forFile:)) }
        let split = paths.map { $0.split(separator: "/", omittingEmptySubsequences: false).map(String.init) }
        let depth = split.map(\.count).min() ?? 0
        var differing: [Int] = []
        for index in 0..<depth where Set(split.map { $0[$0.count - depth + index] }).count > 1 {
            differing.append(index)
        }
        var names = split.map { parts -> String in
            let chosen = differing.map { index -> String in
                let segment = parts[parts.count - depth + index]
                return index == depth - 1 ? datasetName(forFile: segment) : sanitizedName(segment)
            }
            return chosen.isEmpty ? datasetName(forFile: parts.last ?? "") : chosen.joined(separator: "_")
        }
        // Still ambiguous (a.csv vs a.tsv): fall back to the sanitized file names.
        if Set(names).count != names.count { names = paths.map { sanitizedName($0.split(separator: "/").last.map(String.init) ?? $0) } }
        return names
    }

    /// Matches of a shell glob, as the bytes of their paths.
    static func glob(_ pattern: String) -> [[UInt8]] {
        var result = glob_t()
        defer { globfree(&result) }
        guard systemGlob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [[UInt8]] = []
        for index in 0..<Int(result.gl_pathc) {
            if let pointer = result.gl_pathv[index] {
                paths.append(Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))))
            }
        }
        return paths
    }

    /// A matched path as text. A name that is not UTF-8 (Shift_JIS from an old Windows
    /// server) cannot be held in a `String` as it is — repairing it would name a file
    /// that does not exist — so the whole load is refused, showing the name as read.
    static func utf8Path(_ bytes: [UInt8], pattern: String) throws(Diagnostic) -> String {
        guard bytes.withUnsafeBufferPointer({ UTF8Validation.firstInvalidOffset(in: $0) }) != nil else {
            return String(decoding: bytes, as: UTF8.self)
        }
        let (shown, reading) = FileNameDecoding.display(bytes)
        let how = reading == .cp932 ? "shown as read in cp932" : "bytes that are not text shown as %XX"
        throw Diagnostic("'\(pattern)' matches '\(shown)', whose name is not UTF-8 (\(how))",
                         in: FileLocation(path: pattern),
                         notes: ["nothing was loaded: kensho opens files by UTF-8 names",
                                 "load a copy renamed to UTF-8 (convmv -f cp932 -t utf-8); the folder loaded as a tree"
                                     + " (load DIR) lists the original by its raw name, with the sha256 to cite"])
    }
}
