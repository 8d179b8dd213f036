/// Statement-level grammar (DESIGN §3, first table).
extension Parser {
    static let statementKeywords = [
        "load", "fingerprint", "role", "export", "set", "attach", "push", "describe",
        "history", "help", "untag", "note", "save",
    ]

    mutating func parseStatement() throws(Diagnostic) -> Statement {
        guard current.kind == .word else {
            if current.kind == .quotedWord { return try parseBindingOrQuery() }
            throw unexpected(expecting: "a statement")
        }
        switch current.text.lowercased() {
        case "load": return try parseLoad()
        case "fingerprint": return try parseRecipe()
        case "role": return try parseRole()
        case "export": return try parseExport()
        case "set": return try parseSet()
        case "attach": return try parseAttach()
        case "push": return try parsePush()
        case "describe":
            try advance()
            return .describe(try expectQualifiedName("a dataset name"))
        case "history":
            try advance()
            return .history
        case "help":
            try advance()
            if current.isTerminator { return .help(topic: nil) }
            let start = current.range.start
            while !current.isTerminator { try advance() }
            return .help(topic: source.slice(SourceRange(start, previousEnd)).lowercased())
        case "untag":
            try advance()
            let label = try expectNameOrString("a tag label")
            var condition: Expression?
            if try accept(keyword: "where") { condition = try parseExpression() }
            return .untag(label: label, condition: condition)
        case "note":
            try advance()
            let label = try expectNameOrString("a tag label")
            guard current.kind == .string else { throw unexpected(expecting: "the note text in quotes") }
            let text = current.text
            try advance()
            return .note(label: label, text: text)
        case "save":
            return .save(path: try expectPathAfterKeyword().0)
        default:
            return try parseBindingOrQuery()
        }
    }

    private mutating func parseBindingOrQuery() throws(Diagnostic) -> Statement {
        // NAME = PIPELINE: look for `=` right after a (possibly dotted) name.
        let mark = (lexer, current, previousEnd)
        if current.kind == .word || current.kind == .quotedWord {
            let name = try expectQualifiedName("a name")
            if current.isSymbol("=") {
                try advance()
                return .bind(name: name, pipeline: try parsePipeline())
            }
            (lexer, current, previousEnd) = mark
        }
        return .query(try parsePipeline())
    }

    private mutating func parseLoad() throws(Diagnostic) -> Statement {
        let (path, pathRange) = try expectPathAfterKeyword()
        var alias: Name?
        var options: [OptionPair] = []
        while !current.isTerminator {
            if try accept(keyword: "as") {
                alias = try expectQualifiedNameAsName("a dataset name")
            } else if try accept(keyword: "with") {
                options = try parseOptions()
            } else {
                throw unexpected(expecting: "'as' or 'with'", suggesting: ["as", "with"])
            }
        }
        return .load(LoadStatement(path: path, pathRange: pathRange, alias: alias, options: options))
    }

    /// A dotted name joined back into one name (dataset names may contain dots).
    private mutating func expectQualifiedNameAsName(_ what: String) throws(Diagnostic) -> Name {
        let qualified = try expectQualifiedName(what)
        return Name(qualified.dotted, range: qualified.range)
    }

    /// `k=v, k=v`: values are words, strings, numbers, or single characters such as `;` or `|`.
    mutating func parseOptions() throws(Diagnostic) -> [OptionPair] {
        var options: [OptionPair] = []
        repeat {
            let key = try expectName("an option name")
            try expect(symbol: "=")
            let valueRange = current.range
            let value: String
            switch current.kind {
            case .word, .quotedWord, .string, .integer, .float:
                value = current.text
            case .symbol:
                value = current.text  // delimiter=| or delimiter=;
            case .semicolon:
                value = ";"
            default:
                throw unexpected(expecting: "a value for '\(key.text)'")
            }
            try advance()
            // Values like utf-8 or euc-jp arrive as word, '-', word: glue adjacent tokens.
            var text = value
            var end = valueRange.end
            while !current.isTerminator, !current.isSymbol(","), current.range.start == end {
                text += current.kind == .string ? current.text : source.slice(current.range)
                end = current.range.end
                try advance()
            }
            options.append(OptionPair(key: key, value: text, valueRange: SourceRange(valueRange.start, end)))
        } while try accept(symbol: ",")
        return options
    }

    private mutating func parseRecipe() throws(Diagnostic) -> Statement {
        try advance()
        let name = try expectName("a fingerprint name")
        try expect(symbol: "=")
        var fields: [RecipeField] = []
        repeat {
            let field = try expectQualifiedNameAsName("a column or role")
            var keyer: Name?
            var version: Int?
            if try accept(symbol: ":") {
                keyer = try expectName("a keyer name")
                if try accept(symbol: "@") { version = try expectInteger("a keyer version") }
            }
            fields.append(RecipeField(field: field, keyer: keyer, version: version))
        } while try accept(symbol: "+")
        return .fingerprint(RecipeStatement(name: name, fields: fields))
    }

    private mutating func parseRole() throws(Diagnostic) -> Statement {
        try advance()
        let target = try expectQualifiedName("DATASET.COLUMN")
        guard target.parts.count >= 2 else {
            throw Diagnostic("expected DATASET.COLUMN", at: target.range, hint: "for example: role okazaki.tel = phone")
        }
        try expect(symbol: "=")
        let role = try expectName("a role")
        return .role(dataset: QualifiedName(Array(target.parts.dropLast())), column: target.parts.last!, role: role)
    }

    private mutating func parseExport() throws(Diagnostic) -> Statement {
        try advance()
        let subject: ExportStatement.Subject
        if current.isKeyword("findings") {
            try advance()
            subject = .findings
        } else if current.isKeyword("fingerprints") {
            try advance()
            try expect(keyword: "of")
            let dataset = try expectQualifiedName("a dataset name")
            try expect(keyword: "using")
            subject = .fingerprints(dataset: dataset, recipe: try expectName("a fingerprint name"))
        } else if current.isKeyword("notification") {
            try advance()
            try expect(keyword: "for")
            let origin = try expectQualifiedName("an origin dataset")
            try expect(keyword: "using")
            subject = .notification(origin: origin, recipe: try expectName("a fingerprint name"))
        } else {
            subject = .pipeline(try parsePipeline(stoppingAt: "to"))
        }
        guard current.isKeyword("to") else { throw unexpected(expecting: "'to'", suggesting: ["to"]) }
        let (path, pathRange) = try expectPathAfterKeyword()
        var format: Name?
        var masking: Name?
        while !current.isTerminator {
            if try accept(keyword: "as") {
                format = try expectName("a format (csv, json, jsonl, md, html)")
            } else if current.isKeyword("masked") || current.isKeyword("unmasked") {
                masking = Name(current.text.lowercased(), range: current.range)
                try advance()
            } else {
                throw unexpected(expecting: "'as' or 'masked'", suggesting: ["as", "masked", "unmasked"])
            }
        }
        return .export(ExportStatement(subject: subject, path: path, pathRange: pathRange, format: format, masking: masking))
    }

    private mutating func parseSet() throws(Diagnostic) -> Statement {
        try advance()
        let name = try expectName("a setting name")
        try expect(symbol: "=")
        guard !current.isTerminator else { throw unexpected(expecting: "a value") }
        let valueStart = current.range.start
        let value: SetValue
        switch current.kind {
        case .string:
            value = .string(current.text)
            try advance()
        case .integer, .float:
            value = .number(current.text)
            try advance()
        default:
            // Words and compound words such as env:CASE_KEY, read as typed.
            let start = current.range.start
            while !current.isTerminator { try advance() }
            value = .word(source.slice(SourceRange(start, previousEnd)))
        }
        return .set(name: name, value: value, valueRange: SourceRange(valueStart, previousEnd))
    }

    private mutating func parseAttach() throws(Diagnostic) -> Statement {
        try advance()
        let kind = try expectName("a warehouse kind (postgres)")
        guard current.kind == .string else { throw unexpected(expecting: "a connection URL in quotes") }
        let url = current.text
        try advance()
        try expect(keyword: "as")
        return .attach(kind: kind, url: url, name: try expectName("a warehouse name"))
    }

    private mutating func parsePush() throws(Diagnostic) -> Statement {
        try advance()
        let source: PushSource
        if current.kind == .string {
            source = .file(path: current.text, range: current.range)
            try advance()
        } else {
            source = .dataset(try expectQualifiedName("a dataset name or a file path in quotes"))
        }
        try expect(keyword: "using")
        let recipe = try expectName("a fingerprint name")
        try expect(keyword: "to")
        let warehouse = try expectName("a warehouse name")
        var options: [OptionPair] = []
        if try accept(keyword: "with") { options = try parseOptions() }
        return .push(source: source, recipe: recipe, warehouse: warehouse, options: options)
    }
}
