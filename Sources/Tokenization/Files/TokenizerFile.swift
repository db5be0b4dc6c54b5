import Foundation
import StrictJSON

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
            data = try InputFile.read(url)
        } catch {
            throw TokenizationError.unreadableFile(path: url.path, reason: error.reason)
        }
        try self.init(tokenizerJSON: data, source: url.path)
    }

    /// Parses tokenizer.json content; `source` names it in errors.
    public init(tokenizerJSON data: Data, source: String) throws {
        let file = TokenizerFileReader(source: source)
        let root = try file.root(data)

        // Model.
        let model = try file.object(root["model"], "model")
        if let type = model["type"], !type.isNull {
            let name = try file.string(type, "model.type", default: nil)
            guard name == "WordPiece" else {
                throw TokenizationError.unsupportedComponent(path: source, component: "model", type: name)
            }
        }
        guard case .object(let members)? = model["vocab"] else {
            throw file.malformed("model.vocab must be an object of token → id")
        }
        var entries: [(String, Int)] = []
        entries.reserveCapacity(members.count)
        for member in members {
            let (token, value) = (member.key, member.value)
            guard let id = value.integer, id >= 0 else {
                throw file.malformed("model.vocab[\"\(token)\"] is not a non-negative integer id")
            }
            guard id <= Vocabulary.maximumId else {
                throw file.malformed("model.vocab[\"\(token)\"] id \(id) is above the limit \(Vocabulary.maximumId)")
            }
            entries.append((token, id))
        }
        if entries.isEmpty { throw TokenizationError.emptyVocabulary(path: source) }
        let vocabulary = try Vocabulary(entries: entries)
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
        if let n = try file.optionalObject(root["normalizer"], "normalizer") {
            let type = try file.string(n["type"], "normalizer.type", default: "")
            guard type == "BertNormalizer" else {
                throw TokenizationError.unsupportedComponent(path: source, component: "normalizer", type: type)
            }
            normalizer = BertNormalizer(
                cleanText: try file.bool(n["clean_text"], "normalizer.clean_text", default: true),
                handleChineseChars: try file.bool(n["handle_chinese_chars"], "normalizer.handle_chinese_chars", default: true),
                stripAccents: (n["strip_accents"]?.isNull ?? true)
                    ? nil : try file.bool(n["strip_accents"], "normalizer.strip_accents", default: false),
                lowercase: try file.bool(n["lowercase"], "normalizer.lowercase", default: true))
        }
        let pre = try file.optionalObject(root["pre_tokenizer"], "pre_tokenizer")
        let preType = try pre.map { try file.string($0["type"], "pre_tokenizer.type", default: "") } ?? "null"
        guard preType == "BertPreTokenizer" else {
            throw TokenizationError.unsupportedComponent(path: source, component: "pre_tokenizer", type: preType)
        }

        // Added tokens.
        var added: [AddedToken] = []
        if let list = root["added_tokens"], !list.isNull {
            guard case .array(let items) = list else { throw file.malformed("added_tokens must be a list") }
            for (k, item) in items.enumerated() {
                let t = try file.object(item, "added_tokens[\(k)]")
                let special = try file.bool(t["special"], "added_tokens[\(k)].special", default: false)
                let token = AddedToken(
                    content: try file.string(t["content"], "added_tokens[\(k)].content", default: nil),
                    id: try file.int(t["id"], "added_tokens[\(k)].id", default: nil),
                    special: special,
                    singleWord: try file.bool(t["single_word"], "added_tokens[\(k)].single_word", default: false),
                    lstrip: try file.bool(t["lstrip"], "added_tokens[\(k)].lstrip", default: false),
                    rstrip: try file.bool(t["rstrip"], "added_tokens[\(k)].rstrip", default: false),
                    normalized: try file.bool(t["normalized"], "added_tokens[\(k)].normalized", default: !special))
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
        if let d = try file.optionalObject(root["decoder"], "decoder") {
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

    func root(_ data: Data) throws -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONParser.parse([UInt8](data), maxDepth: 512)
        } catch {
            throw malformed("not valid JSON (\(error.message) at byte \(error.offset))")
        }
        guard case .object = value else { throw malformed("the top level must be an object") }
        return value
    }

    func object(_ value: JSONValue?, _ field: String) throws -> JSONValue {
        guard let value, case .object = value else { throw malformed("\(field) must be an object") }
        return value
    }

    func optionalObject(_ value: JSONValue?, _ field: String) throws -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        return try object(value, field)
    }

    func string(_ value: JSONValue?, _ field: String, default fallback: String?) throws -> String {
        if value == nil || value!.isNull, let fallback { return fallback }
        guard case .string(let s)? = value else { throw malformed("\(field) must be a string") }
        return s
    }

    func int(_ value: JSONValue?, _ field: String, default fallback: Int?) throws -> Int {
        if value == nil || value!.isNull, let fallback { return fallback }
        guard let n = value?.integer, n >= 0 else { throw malformed("\(field) must be a non-negative integer") }
        return n
    }

    func bool(_ value: JSONValue?, _ field: String, default fallback: Bool) throws -> Bool {
        guard let value, !value.isNull else { return fallback }
        guard case .bool(let b) = value else { throw malformed("\(field) must be true or false") }
        return b
    }

    func postProcessor(_ value: JSONValue?) throws -> TemplatePostProcessor {
        guard let p = try optionalObject(value, "post_processor") else { return .none }
        let type = try string(p["type"], "post_processor.type", default: "")
        switch type {
        case "BertProcessing":
            guard case .array(let sep)? = p["sep"], sep.count == 2, case .string(let sepName) = sep[0],
                  case .array(let cls)? = p["cls"], cls.count == 2, case .string(let clsName) = cls[0] else {
                throw malformed("post_processor.sep and .cls must be [token, id] pairs")
            }
            return .bert(cls: (clsName, try int(cls[1], "post_processor.cls[1]", default: nil)),
                         sep: (sepName, try int(sep[1], "post_processor.sep[1]", default: nil)))
        case "TemplateProcessing":
            guard case .object(let specials)? = p["special_tokens"] else {
                throw malformed("post_processor.special_tokens must be an object")
            }
            var idsOf: [(String, [Int])] = []
            for member in specials {
                let (name, entry) = (member.key, member.value)
                guard case .array(let ids)? = entry["ids"] else {
                    throw malformed("post_processor.special_tokens[\"\(name)\"].ids must be a list")
                }
                idsOf.append((name, try ids.map { try int($0, "post_processor.special_tokens[\"\(name)\"].ids", default: nil) }))
            }
            func pieces(_ field: String) throws -> [TemplatePostProcessor.Piece] {
                guard case .array(let list)? = p[field] else { throw malformed("post_processor.\(field) must be a list") }
                return try list.enumerated().map { k, item in
                    let where_ = "post_processor.\(field)[\(k)]"
                    if let s = item["Sequence"] {
                        let id = try string(s["id"], "\(where_).Sequence.id", default: nil)
                        guard id == "A" || id == "B" else { throw malformed("\(where_): sequence id must be A or B") }
                        return .sequence(id == "A" ? 0 : 1, typeId: try int(s["type_id"], "\(where_).type_id", default: 0))
                    }
                    if let s = item["SpecialToken"] {
                        let name = try string(s["id"], "\(where_).SpecialToken.id", default: nil)
                        guard let ids = idsOf.first(where: { $0.0.utf8.elementsEqual(name.utf8) })?.1 else {
                            throw malformed("post_processor: special token \"\(name)\" is not declared")
                        }
                        return .special(ids: ids, typeId: try int(s["type_id"], "\(where_).type_id", default: 0))
                    }
                    throw malformed("\(where_) must be a Sequence or a SpecialToken")
                }
            }
            return TemplatePostProcessor(single: try pieces("single"), pair: try pieces("pair"))
        default:
            throw TokenizationError.unsupportedComponent(path: source, component: "post_processor", type: type)
        }
    }

    func truncation(_ value: JSONValue?) throws -> Truncation? {
        guard let t = try optionalObject(value, "truncation") else { return nil }
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

    func padding(_ value: JSONValue?) throws -> Padding? {
        guard let p = try optionalObject(value, "padding") else { return nil }
        var strategy = Padding.Strategy.longest
        switch p["strategy"] {
        case .object?:
            let length = try int(p["strategy"]?["Fixed"], "padding.strategy.Fixed", default: nil)
            guard length <= Padding.maximumLength else {
                throw malformed("padding.strategy.Fixed \(length) is above the limit \(Padding.maximumLength)")
            }
            strategy = .fixed(length)
        case .string(let s)?:
            guard s == "BatchLongest" else { throw malformed("padding.strategy \"\(s)\" is unknown") }
        case nil, .null?:
            break
        default:
            throw malformed("padding.strategy must be \"BatchLongest\" or {\"Fixed\": n}")
        }
        let direction = try string(p["direction"], "padding.direction", default: "Right")
        guard direction == "Left" || direction == "Right" else { throw malformed("padding.direction must be Left or Right") }
        let multiple = (p["pad_to_multiple_of"]?.isNull ?? true)
            ? nil : try int(p["pad_to_multiple_of"], "padding.pad_to_multiple_of", default: nil)
        if let multiple, multiple > Padding.maximumLength {
            throw malformed("padding.pad_to_multiple_of \(multiple) is above the limit \(Padding.maximumLength)")
        }
        return Padding(strategy: strategy, direction: direction == "Left" ? .left : .right, padToMultipleOf: multiple,
                       padId: try int(p["pad_id"], "padding.pad_id", default: 0),
                       padTypeId: try int(p["pad_type_id"], "padding.pad_type_id", default: 0),
                       padToken: try string(p["pad_token"], "padding.pad_token", default: "[PAD]"))
    }
}
