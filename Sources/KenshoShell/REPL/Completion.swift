import Kensho

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tab completion by context: file paths after `load`/`to`, operators after `|`,
/// statements and datasets at the start, a warehouse's pushed datasets after `WH.`, and
/// otherwise the columns of the datasets the line names, then dataset names and keywords.
struct Completer: Sendable {
    /// Datasets and their columns, refreshed after every statement.
    var datasets: [String: [String]]
    /// Attached warehouses and their pushed datasets as last seen, refreshed after every
    /// statement (from what attach, push and listings saw: completing sends no query).
    var warehouses: [String: [String]] = [:]

    static let statementWords = ["load", "export", "set", "describe", "datasets", "history", "help", "union",
                                 "rejects", "fingerprint", "roles", "role", "findings", "occurrences", "matrix", "diff",
                                 "attach", "push", "untag", "note", "save"]
    static let operatorWords = ["where", "select", "derive", "sort", "limit", "distinct", "count", "count by",
                                "join", "left join", "semijoin", "antijoin", "fingerprint", "tag"]
    static let expressionWords = ["and", "or", "not", "in", "is", "null", "like", "as", "desc", "by", "on", "to",
                                  "lower", "upper", "length", "substr", "trim", "replace", "coalesce", "year", "normalize"]

    func candidates(for request: CompletionRequest) -> [String] {
        let before = request.before
        let word = request.word
        let trimmed = before.trimmingCharacters(in: .whitespaces)
        let lastWord = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).last.map { String($0).lowercased() } ?? ""

        // `WH.` and a pushed dataset's name, or `WH.*` (every one of them).
        if let dot = word.firstIndex(of: "."), let pushed = warehouses[String(word[..<dot])] {
            let prefix = word[...dot]
            return matching(word, pushed.map { prefix + Completer.quotedIfNeeded($0) } + [prefix + "*"])
        }
        let isPush = trimmed.lowercased().hasPrefix("push ")
        if lastWord == "to", isPush {
            return matching(word, warehouses.keys.sorted())
        }
        if lastWord == "load" || lastWord == "to" || lastWord == "run" || word.contains("/") || word.hasPrefix(".") || word.hasPrefix("~") {
            return paths(matching: word)
        }
        if trimmed.isEmpty {
            return matching(word, Completer.statementWords + datasets.keys.sorted())
        }
        if trimmed.hasSuffix("|") {
            return matching(word, Completer.operatorWords.map { $0.components(separatedBy: " ").first! } + ["count"])
                .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        }
        if ["join", "semijoin", "antijoin", "in"].contains(lastWord) {
            return matching(word, datasets.keys.sorted() + warehouses.keys.sorted().map { $0 + "." })
        }
        if ["describe", "union", "rejects", "roles", "push"].contains(lastWord)
            || trimmed.hasSuffix(",") && before.lowercased().contains("union") {
            return matching(word, datasets.keys.sorted())
        }
        if trimmed.hasSuffix(","), before.lowercased().contains(" in "), !warehouses.isEmpty {
            return matching(word, datasets.keys.sorted() + warehouses.keys.sorted().map { $0 + "." })
        }
        // Columns of every dataset the line mentions, then datasets and keywords.
        let mentioned = datasets.keys.filter { name in
            before.range(of: name) != nil
        }.sorted()
        var columns: [String] = []
        for name in mentioned { for column in datasets[name] ?? [] where !columns.contains(column) { columns.append(column) } }
        let quotedColumns = columns.map(Completer.quotedIfNeeded)
        return matching(word, quotedColumns + datasets.keys.sorted() + Completer.expressionWords)
    }

    private func matching(_ prefix: String, _ words: [String]) -> [String] {
        let lowered = prefix.lowercased()
        var seen = Set<String>()
        return words.filter { $0.lowercased().hasPrefix(lowered) && seen.insert($0).inserted }
    }

    static func needsQuotes(_ name: String) -> Bool {
        name.contains(where: { " \t,|()=.-'\"`".contains($0) })
    }

    static func quotedIfNeeded(_ name: String) -> String {
        needsQuotes(name) ? "`\(name)`" : name
    }

    /// File names in the directory part of `word` that start with its last part.
    private func paths(matching word: String) -> [String] {
        let unquoted = word.hasPrefix("\"") || word.hasPrefix("'") ? String(word.dropFirst()) : word
        var directory = "."
        var prefix = unquoted
        var shownDirectory = ""
        if let slash = unquoted.lastIndex(of: "/") {
            shownDirectory = String(unquoted[...slash])
            directory = shownDirectory.isEmpty ? "/" : shownDirectory
            prefix = String(unquoted[unquoted.index(after: slash)...])
        }
        if directory.hasPrefix("~"), let home = getenv("HOME") {
            directory = String(cString: home) + directory.dropFirst()
        }
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var results: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            if name.hasPrefix("."), !prefix.hasPrefix(".") { continue }
            guard name.hasPrefix(prefix) else { continue }
            var isDirectory = false
            var info = stat()
            let full = (directory == "." && shownDirectory.isEmpty ? "" : directory.hasSuffix("/") ? directory : directory + "/") + name
            if stat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { isDirectory = true }
            results.append(shownDirectory + name + (isDirectory ? "/" : ""))
        }
        return results.sorted()
    }
}

import Foundation
