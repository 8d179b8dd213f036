import Foundation
@testable import Kensho
import FuzzSupport

/// The JSON and JSON Lines loaders on the same bytes: a consistent table or a
/// `Diagnostic` with its place, never a trap, a stack overflow or a hang (the scanner
/// walks nesting with an explicit stack). A JSON document kensho loads must also be
/// JSON to Foundation's parser, with as many records as the top-level array holds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    if let dataset = load(input, format: "json") {
        checkAgainstFoundation(input, rows: dataset.table.rowCount)
    }
    _ = load(input, format: "jsonl")
    return 0
}

private func load(_ input: UnsafeBufferPointer<UInt8>, format: String) -> Dataset? {
    let path = "fuzz.\(format)"
    let file = FileBytes(path: path, copying: UnsafeRawBufferPointer(input))
    let loader = JSONLoader(path: path, format: format, options: LoadOptions(), datasetName: "fuzz", isCancelled: { false })
    return withExtendedLifetime(file) {
        do {
            let dataset = try loader.load(file)
            // JSON may hold several records on one line; JSON Lines one per line.
            LoadChecks.check(dataset, strictlyIncreasingLines: format == "jsonl")
            return dataset
        } catch {
            LoadChecks.checkFailure(error, path: path, count: input.count)
            return nil
        }
    }
}

/// Foundation reads the same document (UTF-8 without a byte order mark, which it
/// handles differently); a top-level array's length is the row count.
private func checkAgainstFoundation(_ input: UnsafeBufferPointer<UInt8>, rows: Int) {
    guard !(input.count >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF), isUTF8(input) else { return }
    let object: Any
    do {
        object = try JSONSerialization.jsonObject(with: Data(buffer: input), options: [.fragmentsAllowed])
    } catch {
        // Foundation refuses numbers beyond a Double (1e400); JSON allows them, and kensho
        // keeps such a number as the text it is.
        guard !"\(error)".contains("is not representable") else { return }
        invariant(false, "kensho loads JSON that Foundation rejects: \(error)")
        return
    }
    if let array = object as? [Any] {
        invariant(array.count == rows, "\(rows) rows from an array of \(array.count)")
    }
}
