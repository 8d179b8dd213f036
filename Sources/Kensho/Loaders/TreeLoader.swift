import Synchronization

/// Loads a directory tree as a manifest (`load DIR`, `load DIR with format=dir`): one
/// row per regular file, sorted by path bytes (see `TreeManifest` for the table and
/// its digest, `TreeWalker` for what is listed and what is skipped).
///
/// Hashing is the cost, so it runs on every core: workers take the next file from a
/// shared counter over the sorted list (an even split would leave one core idle behind
/// a single large file), each streaming through its own reused 1 MiB buffer
/// (`FileHasher`). Results land in the slot of their file, so the manifest does not
/// depend on which worker hashed what. A file that cannot be read keeps its row,
/// without a SHA-256, and is reported; the load fails only when the root itself
/// cannot be read.
struct TreeLoader {
    var path: String
    var datasetName: String
    var isCancelled: @Sendable () -> Bool
    var progress: (@Sendable (Int, Int) -> Void)?

    func load() throws -> Dataset {
        let listing = try TreeWalker(root: path, isCancelled: isCancelled).walk()
        let results = try hash(listing.files)
        let manifest = TreeManifest(listing: listing, results: results, datasetName: datasetName)
        let source = SourceFile(path: path, sha256: manifest.digest, size: Int(manifest.totalBytes),
                                modified: listing.rootModified, format: "dir", layout: manifest.layout,
                                encoding: EncodingDecision(name: manifest.namesEncoding, how: "auto", confidence: 1))
        return Dataset(name: datasetName, table: manifest.table, origin: .file(source), loadIssues: manifest.issues)
    }

    /// Workers: one per core, at most eight (beyond that the disk is the limit).
    static var workerCount: Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) }

    /// Hashes every listed file; the result at index i is file i's.
    private func hash(_ files: [TreeWalker.File]) throws -> [FileHasher.Result] {
        let count = files.count
        let total = Int(files.reduce(Int64(0)) { $0 + $1.size })
        let slots = UnsafeMutableBufferPointer<FileHasher.Result?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer {
            _ = slots.deinitialize()
            slots.deallocate()
        }
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let stopped = Atomic<Bool>(false)
        let progress = self.progress
        let isCancelled = self.isCancelled
        defer { progress?(total, total) }
        concurrentlyForEach(min(TreeLoader.workerCount, count)) { _ in
            let hasher = FileHasher()
            while !stopped.load(ordering: .relaxed) {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                if isCancelled() {
                    stopped.store(true, ordering: .relaxed)
                    return
                }
                let file = files[index]
                let result = TreeWalker.withCPath(path, file.path) { cPath in
                    try? hasher.hash(cPath, listedAs: file) { bytes in
                        let now = done.wrappingAdd(bytes, ordering: .relaxed).newValue
                        progress?(now, total)
                        return !isCancelled()
                    }
                }
                guard let result else {
                    stopped.store(true, ordering: .relaxed)
                    return
                }
                slots[index] = result
            }
        }
        if stopped.load(ordering: .relaxed) { throw LoadCancelled() }
        return slots.map { $0! }
    }
}

import Foundation
