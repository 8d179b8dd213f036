import Crypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory tree as a table, and the digest that stands for the tree.
///
/// Columns: `path` (relative, `/`-separated, decoded for display by
/// `FileNameDecoding`), `size` (bytes hashed), `sha256` (lower-case hex; null when
/// the file could not be read), `modified` (ISO 8601 UTC, whole seconds, so the text
/// sorts as the time does). Provenance: `_dataset`; `_source`, the manifest digest;
/// `_line`, the row number (1-based); and `_path_hex`, the path's original bytes in
/// lower-case hex. `_path_hex` is the file's identity: display names can coincide and
/// are not always the bytes on disk, so `diff` matches paths by it, and hex sorts as
/// the bytes do. It is hidden like the other provenance columns, and exported.
///
/// A tree has no single file to hash, so `_source` (and the load's SHA-256) is the
/// SHA-256 of the manifest's canonical serialization: for each file, in path-byte
/// order,
///
///     PATH-BYTES  0x00  SHA256  0x20  SIZE  0x0A
///
/// with PATH-BYTES the raw relative path (it cannot contain NUL), SHA256 the 64
/// lower-case hex digits (or `-` when the file could not be read) and SIZE in decimal
/// ASCII. It covers names and contents, not modification times, so a copy of the tree
/// made without preserving times (git, a plain `cp`) still has the same digest. An
/// empty tree's digest is the SHA-256 of nothing. To recompute it outside kensho, from
/// the tree's root:
///
///     find . -type f -printf '%P\0' | LC_ALL=C sort -z | while IFS= read -r -d '' f; do
///       printf '%s\0%s %s\n' "$f" "$(sha256sum < "$f" | cut -c1-64)" "$(stat -c %s "$f")"
///     done | sha256sum
struct TreeManifest {
    static let pathHexColumn = "_path_hex"

    let table: Table
    let digest: String
    let issues: [LoadIssue]
    let totalBytes: Int64
    /// A short account for the load summary: counts of directories, names, skips.
    let layout: String
    /// How the names were read: `utf-8`, or `utf-8+cp932` when some were Shift_JIS.
    let namesEncoding: String

    init(listing: TreeWalker.Listing, results: [FileHasher.Result], datasetName: String) {
        let count = listing.files.count
        var paths = ColumnBuilder(type: .text, capacity: count)
        var sizes = ColumnBuilder(type: .integer, capacity: count)
        var hashes = ColumnBuilder(type: .text, capacity: count)
        var times = ColumnBuilder(type: .text, capacity: count)
        var pathHex = ColumnBuilder(type: .text, capacity: count)
        var serialization = SHA256()
        var readings: [FileNameDecoding.Reading: Int] = [:]
        var issues: [(path: [UInt8], issue: LoadIssue)] = []
        var totalBytes: Int64 = 0
        var unreadable = 0
        for (index, file) in listing.files.enumerated() {
            let result = results[index]
            let (name, reading) = FileNameDecoding.display(file.path)
            readings[reading, default: 0] += 1
            paths.appendText(name)
            sizes.appendInteger(result.bytes)
            totalBytes += result.bytes
            let hex = result.sha256
            if let hex { hashes.appendText(hex) } else { hashes.appendNull() }
            times.appendText(TreeManifest.iso8601(file.modified))
            TreeManifest.appendHex(file.path, to: &pathHex)
            file.path.withUnsafeBytes { serialization.update(bufferPointer: $0) }
            serialization.update(data: Array("\u{0}\(hex ?? "-") \(result.bytes)\n".utf8))
            if let problem = result.problem {
                if hex == nil { unreadable += 1 }
                let reason = hex == nil ? problem + "; listed without sha256" : problem
                issues.append((file.path, LoadIssue(line: index + 1, byteOffset: 0, reason: reason, path: name)))
            }
        }
        for skipped in listing.skipped {
            let name = FileNameDecoding.display(skipped.path).text
            issues.append((skipped.path, LoadIssue(line: 0, byteOffset: 0, reason: skipped.reason, path: name,
                                                   severity: skipped.severity)))
        }
        issues.sort { TreeWalker.precedes($0.path, $1.path) }

        digest = SHA256Digest.hex(serialization.finalize())
        let provenance = Provenance.columns(dataset: datasetName, sha256: digest, lines: (0..<count).map { Int64($0 + 1) })
        let fields = [Field(name: "path", type: .text), Field(name: "size", type: .integer),
                      Field(name: "sha256", type: .text), Field(name: "modified", type: .text)]
            + provenance.fields + [Field(name: TreeManifest.pathHexColumn, type: .text, isProvenance: true)]
        let columns = [paths.finish(), sizes.finish(), hashes.finish(), times.finish()]
            + provenance.columns + [pathHex.finish()]
        table = Table(fields: fields, columns: columns, rowCount: count)
        self.issues = issues.map(\.issue)
        self.totalBytes = totalBytes
        namesEncoding = (readings[.cp932] ?? 0) > 0 ? "utf-8+cp932" : "utf-8"
        layout = TreeManifest.layout(listing: listing, readings: readings, unreadable: unreadable)
    }

    private static func layout(listing: TreeWalker.Listing, readings: [FileNameDecoding.Reading: Int],
                               unreadable: Int) -> String {
        func plural(_ n: Int, _ word: String) -> String { "\(TableRenderer.grouped(n)) \(word)\(n == 1 ? "" : "s")" }
        let directories = listing.directories + 1
        let directoryCount = "\(TableRenderer.grouped(directories)) director\(directories == 1 ? "y" : "ies")"
        var parts = ["\(plural(listing.files.count, "file")) in \(directoryCount)"]
        var names = "names utf-8"
        if let cp932 = readings[.cp932] { names += ", \(plural(cp932, "path")) decoded from cp932" }
        if let escaped = readings[.escaped] { names += ", \(plural(escaped, "path")) with undecodable bytes shown as %XX" }
        parts.append(names)
        if unreadable > 0 { parts.append("\(plural(unreadable, "file")) unreadable") }
        let links = listing.skipped.filter { $0.kind == .link }.count
        if links > 0 { parts.append("\(plural(links, "symbolic link")) not followed") }
        let special = listing.skipped.filter { $0.kind == .special }.count
        if special > 0 { parts.append("\(plural(special, "special file")) skipped") }
        return parts.joined(separator: "; ")
    }

    private static func appendHex(_ bytes: [UInt8], to builder: inout ColumnBuilder) {
        let start = builder.textStart
        for byte in bytes {
            builder.appendTextByte(hexDigits[Int(byte >> 4)])
            builder.appendTextByte(hexDigits[Int(byte & 0x0F)])
        }
        builder.endText(startedAt: start)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `2009-09-30T00:00:00Z`.
    static func iso8601(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return "\(seconds)" }
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = Int(parts.tm_year) + 1900
        let yearText = (0..<1000).contains(year) ? String(repeating: "0", count: 4 - String(year).count) + "\(year)" : "\(year)"
        let date = "\(yearText)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
        return "\(date)T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
