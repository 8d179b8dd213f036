// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "kensho",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kensho", targets: ["kensho"]),
        .library(name: "Kensho", targets: ["Kensho"]),
        .library(name: "KenshoKeyers", targets: ["KenshoKeyers"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        // Keyers: pure, versioned normalizers (text, name, kana, phone, date, ...).
        .target(name: "KenshoKeyers"),
        // The system SQLite, for reading SQLite dumps read-only.
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // PostgreSQL's client library, for warehouses (sweeps beyond one machine's memory).
        .systemLibrary(
            name: "CLibPQ",
            path: "Sources/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Small C helpers the engine's inner loops use (a cache prefetch hint).
        .target(name: "CKenshoSupport"),
        // The CSV scanner's fast path for plain records: SSE2 byte masks, which Swift
        // cannot express (see kensho_csv.h for what it takes and what it leaves).
        .target(name: "CKenshoCSV"),
        // UTF-8 validation by simdjson (Debian libsimdjson-dev): a load checks every byte
        // of a file, and simdjson's SIMD validator does it about ten times faster than a
        // byte loop. A C++ shim, so Swift sees one C function.
        .target(
            name: "CKenshoUTF8",
            linkerSettings: [.linkedLibrary("simdjson")]
        ),
        // The engine: language, data, loaders, evaluation, rendering. No terminal.
        .target(
            name: "Kensho",
            dependencies: ["KenshoKeyers", "CSQLite", "CLibPQ", "CKenshoSupport", "CKenshoCSV", "CKenshoUTF8",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        // libedit, wrapped the way GRDB wraps SQLite: a module map and a shim header.
        .systemLibrary(
            name: "CEditLine",
            path: "Sources/CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The interactive shell and the command line, as a library so tests drive it in-process.
        .target(
            name: "KenshoShell",
            dependencies: [
                "Kensho", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(name: "kensho", dependencies: ["KenshoShell"]),
        .testTarget(name: "KenshoKeyersTests", dependencies: ["KenshoKeyers"]),
        // CSQLite: the SQLite loader's tests build their database files through the C API.
        .testTarget(name: "KenshoTests", dependencies: ["Kensho", "CSQLite"]),
        .testTarget(name: "KenshoShellTests", dependencies: ["KenshoShell", "kensho"]),
    ]
)
