/// How a delimited file is written: delimiter, quote, and whether the first record is
/// a header. `CSVSniffer` decides it from a sample; options given to `load` override it.
public struct CSVDialect: Sendable, Equatable {
    public var delimiter: UInt8
    public var quote: UInt8 = UInt8(ascii: "\"")
    public var hasHeader: Bool

    public init(delimiter: UInt8, hasHeader: Bool) {
        self.delimiter = delimiter
        self.hasHeader = hasHeader
    }

    public var delimiterName: String {
        switch delimiter {
        case UInt8(ascii: ","): return "comma"
        case UInt8(ascii: "\t"): return "tab"
        case UInt8(ascii: ";"): return "semicolon"
        case UInt8(ascii: "|"): return "pipe"
        default: return "'\(String(UnicodeScalar(delimiter)))'"
        }
    }
}

/// Decides delimiter and header from the first records of a file, the way DuckDB's
/// sniffer does: dialect first (the candidate that splits the sample into the most
/// consistent number of fields), then header (a first row whose cells are distinct
/// names, unlike the typed values below it, or that uses known header words).
public enum CSVSniffer {
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: "|")]
    static let sampleBytes = 256 * 1024
    static let sampleRecords = 200

    public static func sniffDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, preferTab: Bool) -> UInt8 {
        var best: (delimiter: UInt8, score: Double) = (preferTab ? UInt8(ascii: "\t") : UInt8(ascii: ","), 0)
        for candidate in candidates {
            let counts = fieldCounts(bytes, delimiter: candidate)
            guard counts.count > 0 else { continue }
            var frequency: [Int: Int] = [:]
            for count in counts { frequency[count, default: 0] += 1 }
            let (mode, modeCount) = frequency.max { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }!
            guard mode > 1 else { continue }
            // Consistency dominates; more fields breaks ties; a tab in a .tsv wins ties.
            var score = Double(modeCount) / Double(counts.count) * 1000 + Double(min(mode, 100))
            if preferTab, candidate == UInt8(ascii: "\t") { score += 0.5 }
            if score > best.score { best = (candidate, score) }
        }
        return best.delimiter
    }

    /// Fields per record over the sample, honouring quotes.
    static func fieldCounts(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> [Int] {
        var counts: [Int] = []
        var fields = 1
        var inQuotes = false
        var i = 0
        let end = min(bytes.count, sampleBytes)
        var recordHasContent = false
        while i < end, counts.count < sampleRecords {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < end, bytes[i + 1] == UInt8(ascii: "\"") { i += 1 } else { inQuotes = false }
                }
            } else if b == UInt8(ascii: "\"") {
                inQuotes = true
                recordHasContent = true
            } else if b == delimiter {
                fields += 1
                recordHasContent = true
            } else if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                if recordHasContent { counts.append(fields) }
                fields = 1
                recordHasContent = false
                if b == UInt8(ascii: "\r"), i + 1 < end, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
            } else {
                recordHasContent = true
            }
            i += 1
        }
        // The last record counts only if the sample reached the end of the file.
        if recordHasContent, end == bytes.count, counts.count < sampleRecords { counts.append(fields) }
        return counts
    }

    /// Header words that settle the question even when every column is text.
    static let headerWords: Set<String> = [
        "id", "name", "full_name", "email", "mail", "tel", "phone", "zip", "postal_code", "address", "birthdate",
        "dob", "card_no", "user_id", "name_kana", "kana", "registered", "date", "city", "status", "note",
        "氏名", "名前", "カナ", "フリガナ", "ふりがな", "生年月日", "電話", "電話番号", "メール", "郵便番号", "〒",
        "住所", "利用者番号", "カード番号", "登録日", "備考", "性別", "年齢",
    ]

    /// Decides whether the first record is a header, given the records' cells as text.
    /// `firstRow` are the first record's cells; `body` the cells of the next records.
    public static func looksLikeHeader(firstRow: [String], body: [[String]]) -> Bool {
        guard !firstRow.isEmpty else { return false }
        let trimmed = firstRow.map { $0.trimmingCharacters(in: .whitespaces) }
        if trimmed.contains(where: { headerWords.contains($0.lowercased()) }) { return true }
        if trimmed.contains(where: { TypeInference.isNumber($0) }) { return false }
        guard !body.isEmpty else { return true }
        // A column whose values are numbers under a non-number first cell: a header.
        for column in trimmed.indices where !trimmed[column].isEmpty {
            let values = body.compactMap { column < $0.count ? $0[column] : nil }.filter { !$0.isEmpty }
            if !values.isEmpty, values.allSatisfy(TypeInference.isNumber) { return true }
        }
        // Data rows repeat and leave cells empty; header names are present and distinct.
        if trimmed.contains(where: \.isEmpty) || Set(trimmed).count != trimmed.count { return false }
        // All text: a header unless the first row's cells also appear as values below.
        for column in trimmed.indices {
            if body.contains(where: { column < $0.count && $0[column] == trimmed[column] }) { return false }
        }
        return true
    }
}

import Foundation
