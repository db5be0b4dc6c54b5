/// RFC 4180 CSV records from UTF-8 bytes, each with the 1-based line it starts on: fields separated
/// by commas, records by LF or CRLF; a field that starts with a quote is quoted and may hold commas,
/// line ends and doubled quotes (`""` is one `"`). Blank lines are skipped (as pandas does).
///
/// Strict where RFC 4180 is: a quote inside an unquoted field, text between a closing quote and
/// the next comma or line end, and a quoted field still open at the end of the file are errors
/// naming the line — never silently merged fields.
///
/// ```swift
/// let records = try CSVRecords.parse(Array("a,b\r\n\"x, \"\"y\"\"\",z\r\n".utf8), file: "t.csv")
/// // [(1, ["a", "b"]), (2, ["x, \"y\"", "z"])]
/// ```
enum CSVRecords {
    static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// - Throws: ``FineTuningError/badLine(file:line:reason:)`` for malformed quoting or a field
    ///   that is not valid UTF-8.
    static func parse(_ bytes: [UInt8], file: String) throws -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1, quoteLine = 1
        var inQuotes = false, wasQuoted = false
        var i = bytes.startIndex
        // A UTF-8 byte order mark (Excel writes one) is not part of the first column's name.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i += 3 }

        func endField() throws {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw FineTuningError.badLine(file: file, line: recordLine, reason: "field \(fields.count + 1) is not valid UTF-8")
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        /// LF, CRLF, or a CR that ends the file.
        func isLineEnd(_ k: Int) -> Bool {
            bytes[k] == lf || (bytes[k] == cr && (k + 1 == bytes.endIndex || bytes[k + 1] == lf))
        }
        func endRecord() {
            // A blank line is one empty unquoted field: skipped.
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        while i < bytes.endIndex {
            let b = bytes[i]
            if inQuotes {
                if b == quote {
                    if i + 1 < bytes.endIndex && bytes[i + 1] == quote {
                        field.append(quote)
                        i += 2
                        continue
                    }
                    inQuotes = false
                    i += 1
                    if i < bytes.endIndex, bytes[i] != comma, !isLineEnd(i) {
                        throw FineTuningError.badLine(file: file, line: line, reason: "field \(fields.count + 1) has text after its "
                            + "closing quote (RFC 4180: a quote inside a quoted field is written twice, \"\")")
                    }
                    continue
                }
                if b == lf { line += 1 }
                field.append(b)
                i += 1
                continue
            }
            if b == comma {
                try endField()
                i += 1
            } else if isLineEnd(i) {
                try endField()
                endRecord()
                i += b == cr ? min(2, bytes.endIndex - i) : 1
                line += 1
                recordLine = line
            } else if b == quote {
                guard field.isEmpty && !wasQuoted else {
                    throw FineTuningError.badLine(file: file, line: line, reason: "field \(fields.count + 1) has a quote inside an "
                        + "unquoted value (RFC 4180: quote the whole field and double the quote, \"a \"\"b\"\" c\")")
                }
                inQuotes = true
                wasQuoted = true
                quoteLine = line
                i += 1
            } else {
                field.append(b)
                i += 1
            }
        }
        if inQuotes {
            throw FineTuningError.badLine(file: file, line: quoteLine,
                                          reason: "field \(fields.count + 1) opens a quote that is never closed")
        }
        if !field.isEmpty || !fields.isEmpty || wasQuoted {
            try endField()
            endRecord()
        }
        return records
    }
}
