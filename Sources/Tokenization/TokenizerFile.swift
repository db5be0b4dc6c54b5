import Foundation

extension BertTokenizer {
    /// Loads a Hugging Face tokenizer.json of a BERT-family model: WordPiece model and vocabulary,
    /// BertNormalizer flags, BertPreTokenizer, TemplateProcessing/BertProcessing, WordPiece
    /// decoder, added tokens, and the truncation and padding the file declares.
    ///
    /// ```swift
    /// let tokenizer = try BertTokenizer(tokenizerFile: URL(fileURLWithPath: "tokenizer.json"))
    /// tokenizer.truncation?.maxLength   // 128 for all-MiniLM-L6-v2
    /// ```
    /// - Throws: ``TokenizationError`` naming the file: unreadable, malformed, or a component
    ///   that is not part of a BERT WordPiece pipeline.
    public init(tokenizerFile url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizationError.unreadableFile(path: url.path, reason: Vocabulary.reason(error))
        }
        try self.init(tokenizerJSON: data, source: url.path)
    }

    /// Parses tokenizer.json content; `source` names it in errors.
    public init(tokenizerJSON data: Data, source: String) throws {
        let file = TokenizerFileReader(source: source)
        let root = try file.root(data)

        // Model.
        let model = try file.dictionary(root["model"], "model")
        if let type = model["type"] as? String, type != "WordPiece" {
            throw TokenizationError.unsupportedComponent(path: source, component: "model", type: type)
        }
        guard let rawVocab = model["vocab"] as? [String: Any] else {
            throw file.malformed("model.vocab must be an object of token → id")
        }
        var tokenToId: [String: Int] = [:]
        tokenToId.reserveCapacity(rawVocab.count)
        for (token, value) in rawVocab {
            guard let id = (value as? NSNumber)?.intValue, id >= 0 else {
                throw file.malformed("model.vocab[\"\(token)\"] is not a non-negative integer id")
            }
            tokenToId[token] = id
        }
        if tokenToId.isEmpty { throw TokenizationError.emptyVocabulary(path: source) }
        let vocabulary = Vocabulary(tokenToId: tokenToId)
        let wordPiece = try WordPiece(
            vocabulary: vocabulary,
            unknownToken: try file.string(model["unk_token"], "model.unk_token", default: "[UNK]"),
            continuingSubwordPrefix: try file.string(model["continuing_subword_prefix"],
                                                     "model.continuing_subword_prefix", default: "##"),
            maxInputCharsPerWord: try file.int(model["max_input_chars_per_word"], "model.max_input_chars_per_word",
                                               default: 100),
            source: source)

        // Normalizer and pre-tokenizer.
        var normalizer = BertNormalizer(cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: false)
        if let n = try file.optionalDictionary(root["normalizer"], "normalizer") {
            let type = try file.string(n["type"], "normalizer.type", default: "")
            guard type == "BertNormalizer" else {
                throw TokenizationError.unsupportedComponent(path: source, component: "normalizer", type: type)
            }
            normalizer = BertNormalizer(
                cleanText: try file.bool(n["clean_text"], "normalizer.clean_text", default: true),
                handleChineseChars: try file.bool(n["handle_chinese_chars"], "normalizer.handle_chinese_chars", default: true),
                stripAccents: n["strip_accents"] is NSNull || n["strip_accents"] == nil
                    ? nil : try file.bool(n["strip_accents"], "normalizer.strip_accents", default: false),
                lowercase: try file.bool(n["lowercase"], "normalizer.lowercase", default: true))
        }
        let pre = try file.optionalDictionary(root["pre_tokenizer"], "pre_tokenizer")
        let preType = try pre.map { try file.string($0["type"], "pre_tokenizer.type", default: "") } ?? "null"
        guard preType == "BertPreTokenizer" else {
            throw TokenizationError.unsupportedComponent(path: source, component: "pre_tokenizer", type: preType)
        }

        // Added tokens.
        var added: [AddedToken] = []
        if let list = root["added_tokens"], !(list is NSNull) {
            guard let items = list as? [Any] else { throw file.malformed("added_tokens must be a list") }
            for (k, item) in items.enumerated() {
                let t = try file.dictionary(item, "added_tokens[\(k)]")
                let token = AddedToken(
                    content: try file.string(t["content"], "added_tokens[\(k)].content", default: nil),
                    id: try file.int(t["id"], "added_tokens[\(k)].id", default: nil),
                    special: try file.bool(t["special"], "added_tokens[\(k)].special", default: false),
                    singleWord: try file.bool(t["single_word"], "added_tokens[\(k)].single_word", default: false),
                    lstrip: try file.bool(t["lstrip"], "added_tokens[\(k)].lstrip", default: false),
                    rstrip: try file.bool(t["rstrip"], "added_tokens[\(k)].rstrip", default: false),
                    normalized: try file.bool(t["normalized"], "added_tokens[\(k)].normalized", default: !(t["special"] as? Bool ?? false)))
                if token.normalized {
                    throw TokenizationError.unsupportedComponent(
                        path: source, component: "added token \"\(token.content)\" with", type: "normalized: true")
                }
                added.append(token)
            }
        }

        // Post-processor and decoder.
        let post = try file.postProcessor(root["post_processor"])
        var decoder: WordPieceDecoder?
        if let d = try file.optionalDictionary(root["decoder"], "decoder") {
            let type = try file.string(d["type"], "decoder.type", default: "")
            guard type == "WordPiece" else {
                throw TokenizationError.unsupportedComponent(path: source, component: "decoder", type: type)
            }
            decoder = WordPieceDecoder(prefix: try file.string(d["prefix"], "decoder.prefix", default: "##"),
                                       cleanup: try file.bool(d["cleanup"], "decoder.cleanup", default: true))
        }

        let core = TokenizerCore(normalizer: normalizer, model: wordPiece, addedTokens: added,
                                 postProcessor: post, decoder: decoder)
        self.init(core: core, truncation: try file.truncation(root["truncation"]), padding: try file.padding(root["padding"]))
    }
}

/// Typed field access for tokenizer.json, with errors that name the file and the field.
struct TokenizerFileReader {
    let source: String

    func malformed(_ detail: String) -> TokenizationError {
        .malformedTokenizerFile(path: source, detail: detail)
    }

    func root(_ data: Data) throws -> [String: Any] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw malformed("not valid JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error.localizedDescription))")
        }
        guard let root = object as? [String: Any] else { throw malformed("the top level must be an object") }
        return root
    }

    func dictionary(_ value: Any?, _ field: String) throws -> [String: Any] {
        guard let d = value as? [String: Any] else { throw malformed("\(field) must be an object") }
        return d
    }

    func optionalDictionary(_ value: Any?, _ field: String) throws -> [String: Any]? {
        if value == nil || value is NSNull { return nil }
        return try dictionary(value, field)
    }

    func string(_ value: Any?, _ field: String, default fallback: String?) throws -> String {
        if value == nil || value is NSNull, let fallback { return fallback }
        guard let s = value as? String else { throw malformed("\(field) must be a string") }
        return s
    }

    func int(_ value: Any?, _ field: String, default fallback: Int?) throws -> Int {
        if value == nil || value is NSNull, let fallback { return fallback }
        guard let n = value as? NSNumber, n.doubleValue == Double(n.intValue), n.intValue >= 0 else {
            throw malformed("\(field) must be a non-negative integer")
        }
        return n.intValue
    }

    func bool(_ value: Any?, _ field: String, default fallback: Bool) throws -> Bool {
        if value == nil || value is NSNull { return fallback }
        guard let b = value as? Bool else { throw malformed("\(field) must be true or false") }
        return b
    }

    func postProcessor(_ value: Any?) throws -> TemplatePostProcessor {
        guard let p = try optionalDictionary(value, "post_processor") else { return .none }
        let type = try string(p["type"], "post_processor.type", default: "")
        switch type {
        case "BertProcessing":
            guard let sep = p["sep"] as? [Any], sep.count == 2, let sepName = sep[0] as? String,
                  let cls = p["cls"] as? [Any], cls.count == 2, let clsName = cls[0] as? String else {
                throw malformed("post_processor.sep and .cls must be [token, id] pairs")
            }
            return .bert(cls: (clsName, try int(cls[1], "post_processor.cls[1]", default: nil)),
                         sep: (sepName, try int(sep[1], "post_processor.sep[1]", default: nil)))
        case "TemplateProcessing":
            let specials = try dictionary(p["special_tokens"], "post_processor.special_tokens")
            var idsOf: [String: [Int]] = [:]
            for (name, entry) in specials {
                let e = try dictionary(entry, "post_processor.special_tokens[\"\(name)\"]")
                guard let ids = e["ids"] as? [Any] else { throw malformed("post_processor.special_tokens[\"\(name)\"].ids must be a list") }
                idsOf[name] = try ids.map { try int($0, "post_processor.special_tokens[\"\(name)\"].ids", default: nil) }
            }
            func pieces(_ field: String) throws -> [TemplatePostProcessor.Piece] {
                guard let list = p[field] as? [Any] else { throw malformed("post_processor.\(field) must be a list") }
                return try list.enumerated().map { k, item in
                    let d = try dictionary(item, "post_processor.\(field)[\(k)]")
                    if let s = d["Sequence"] {
                        let seq = try dictionary(s, "post_processor.\(field)[\(k)].Sequence")
                        let id = try string(seq["id"], "post_processor.\(field)[\(k)].Sequence.id", default: nil)
                        guard id == "A" || id == "B" else { throw malformed("post_processor.\(field)[\(k)]: sequence id must be A or B") }
                        return .sequence(id == "A" ? 0 : 1, typeId: try int(seq["type_id"], "type_id", default: 0))
                    }
                    if let s = d["SpecialToken"] {
                        let sp = try dictionary(s, "post_processor.\(field)[\(k)].SpecialToken")
                        let name = try string(sp["id"], "post_processor.\(field)[\(k)].SpecialToken.id", default: nil)
                        guard let ids = idsOf[name] else { throw malformed("post_processor: special token \"\(name)\" is not declared") }
                        return .special(ids: ids, typeId: try int(sp["type_id"], "type_id", default: 0))
                    }
                    throw malformed("post_processor.\(field)[\(k)] must be a Sequence or a SpecialToken")
                }
            }
            return TemplatePostProcessor(single: try pieces("single"), pair: try pieces("pair"))
        default:
            throw TokenizationError.unsupportedComponent(path: source, component: "post_processor", type: type)
        }
    }

    func truncation(_ value: Any?) throws -> Truncation? {
        guard let t = try optionalDictionary(value, "truncation") else { return nil }
        let strategies: [String: Truncation.Strategy] = ["LongestFirst": .longestFirst, "OnlyFirst": .onlyFirst,
                                                         "OnlySecond": .onlySecond]
        let strategyName = try string(t["strategy"], "truncation.strategy", default: "LongestFirst")
        guard let strategy = strategies[strategyName] else { throw malformed("truncation.strategy \"\(strategyName)\" is unknown") }
        let direction = try string(t["direction"], "truncation.direction", default: "Right")
        guard direction == "Left" || direction == "Right" else { throw malformed("truncation.direction must be Left or Right") }
        return Truncation(maxLength: try int(t["max_length"], "truncation.max_length", default: 512), strategy: strategy,
                          stride: try int(t["stride"], "truncation.stride", default: 0),
                          direction: direction == "Left" ? .left : .right)
    }

    func padding(_ value: Any?) throws -> Padding? {
        guard let p = try optionalDictionary(value, "padding") else { return nil }
        var strategy = Padding.Strategy.longest
        if let s = p["strategy"] as? [String: Any] {
            strategy = .fixed(try int(s["Fixed"], "padding.strategy.Fixed", default: nil))
        } else if let s = p["strategy"] as? String, s != "BatchLongest" {
            throw malformed("padding.strategy \"\(s)\" is unknown")
        }
        let direction = try string(p["direction"], "padding.direction", default: "Right")
        guard direction == "Left" || direction == "Right" else { throw malformed("padding.direction must be Left or Right") }
        let multiple = p["pad_to_multiple_of"] is NSNull || p["pad_to_multiple_of"] == nil
            ? nil : try int(p["pad_to_multiple_of"], "padding.pad_to_multiple_of", default: nil)
        return Padding(strategy: strategy, direction: direction == "Left" ? .left : .right, padToMultipleOf: multiple,
                       padId: try int(p["pad_id"], "padding.pad_id", default: 0),
                       padTypeId: try int(p["pad_type_id"], "padding.pad_type_id", default: 0),
                       padToken: try string(p["pad_token"], "padding.pad_token", default: "[PAD]"))
    }
}
