@testable import Kensho
import FuzzSupport

/// The lexer and parser on any text, fed the way `Session.run` feeds a script: statement
/// by statement, carrying on after a syntax error. Errors are fine; what must hold:
/// - the lexer moves forward and its token ranges lie in the text, in order;
/// - the parser makes progress after every error and ends;
/// - every diagnostic points into the text and renders with its caret line;
/// - a statement's own text parses alone to the same tree (replay re-parses the
///   journaled text, so a statement must not depend on what was around it).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLanguage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let source = SourceText(name: "fuzz", text: String(decoding: fuzzInput(data, size), as: UTF8.self))
    checkLexer(source)
    checkParser(source)
    _ = Lexer.needsContinuation(source.text)
    return 0
}

private func checkLexer(_ source: SourceText) {
    var lexer = Lexer(source)
    var previousEnd = 0
    for _ in 0...source.bytes.count + 1 {
        do {
            let token = try lexer.next()
            check(token.range, in: source, "token \(token.kind)")
            invariant(token.range.start >= previousEnd, "token at \(token.range.start) before the previous end \(previousEnd)")
            previousEnd = token.range.end
            if token.kind == .end { return }
        } catch {
            check(error, in: source)
            return  // the parser's recovery is checked below
        }
    }
    invariant(false, "the lexer produced more tokens than the text has bytes")
}

private func checkParser(_ source: SourceText) {
    var parser: Parser
    do { parser = try Parser(source) } catch {
        check(error, in: source)
        return
    }
    var errors = 0
    for _ in 0...source.bytes.count + 1 {
        do {
            guard let statement = try parser.nextStatement() else { return }
            check(statement.range, in: source, "statement")
            invariant(statement.text == source.slice(statement.range), "statement text is not its range's text")
            checkReparse(statement)
        } catch {
            // Rendering reads the whole source line, so only the first few are rendered:
            // a long line with an error every few bytes would take most of the time.
            errors += 1
            check(error, in: source, render: errors <= 3)
        }
    }
    invariant(false, "the parser produced more statements or errors than the text has bytes")
}

/// A statement's text alone is one statement with the same tree.
private func checkReparse(_ statement: ParsedStatement) {
    let tree = statement.statement.treeDescription
    do {
        let again = try Parser.parseAll(SourceText(name: "again", text: statement.text))
        invariant(again.count == 1, "'\(statement.text)' alone is \(again.count) statements")
        invariant(again.first?.statement.treeDescription == tree,
                  "'\(statement.text)' alone parses to \(again.first?.statement.treeDescription ?? "-"), in context to \(tree)")
    } catch {
        invariant(false, "'\(statement.text)' alone fails to parse: \(error.message)")
    }
}

private func check(_ range: SourceRange, in source: SourceText, _ what: String) {
    invariant(range.start >= 0 && range.start <= range.end && range.end <= source.bytes.count,
              "\(what) range \(range.start)..<\(range.end) outside 0..<\(source.bytes.count)")
}

private func check(_ diagnostic: Diagnostic, in source: SourceText, render: Bool = true) {
    invariant(!diagnostic.message.isEmpty, "a diagnostic without a message")
    guard let range = diagnostic.range else {
        invariant(false, "'\(diagnostic.message)' has no place in the text")
        return
    }
    // An error at the end of the text may point one past it, at the missing token.
    invariant(range.start >= 0 && range.start <= source.bytes.count && range.end <= source.bytes.count + 1,
              "'\(diagnostic.message)' at \(range.start)..<\(range.end) outside 0..<\(source.bytes.count)")
    guard render else { return }
    let rendered = DiagnosticFormatter().format(diagnostic, in: source)
    invariant(rendered.hasPrefix("fuzz:"), "'\(diagnostic.message)' renders without its place: \(rendered)")
}
