import Foundation
import Testing
import BertKit
import TensorCore
import Tokenization

/// Extractive QA against Scripts/make_qa_fixtures.py (transformers 5.23 tokenizer, run_qa.py's
/// feature logic, utils_qa.py's postprocessing, the official SQuAD metrics from transformers
/// 4.57.1): windows, offsets, training positions and max-context flags exactly; n-best texts and
/// logits exactly, probabilities and null-score differences to 1e-5; EM / F1 to 1e-9.
@Suite struct QuestionAnsweringTests {
    static let directory = fixturesURL("qa")

    struct Reference {
        let json: [String: Any]
        var settings: QuestionAnsweringSettings {
            let s = json["settings"] as! [String: Int]
            return QuestionAnsweringSettings(maxLength: s["max_length"]!, docStride: s["doc_stride"]!, maxQueryLength: s["max_query_length"]!)
        }
        var features: [[String: Any]] { json["features"] as! [[String: Any]] }
        var runs: [[String: Any]] { json["runs"] as! [[String: Any]] }
        func logits(_ key: String) -> [[Float]] { (json[key] as! [[Double]]).map { $0.map { Float($0) } } }
    }

    static func reference() throws -> Reference {
        Reference(json: try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("reference.json"))) as! [String: Any])
    }

    static func tokenizer() throws -> BertTokenizer {
        try BertTokenizer(vocabularyFile: directory.appendingPathComponent("vocab.txt"))
    }

    static func file(_ name: String) throws -> SquadFile { try SquadFile(url: directory.appendingPathComponent(name)) }

    /// Index of each feature's reference window: (question id, window number) → row.
    static func rows(_ features: [QuestionAnsweringFeature], _ examples: [SquadExample], reference: Reference) -> [Int] {
        var window: [String: Int] = [:]
        var seen: [String: Int] = [:]
        for (k, f) in reference.features.enumerated() {
            let id = f["example_id"] as! String
            window["\(id)#\(seen[id, default: 0])"] = k
            seen[id, default: 0] += 1
        }
        seen = [:]
        return features.map { f in
            let id = examples[f.exampleIndex].id
            defer { seen[id, default: 0] += 1 }
            return window["\(id)#\(seen[id, default: 0])"]!
        }
    }

    @Test func squadFilesRead() throws {
        let v1 = try Self.file("squad_v1.json"), v2 = try Self.file("squad_v2.json")
        #expect(v1.examples.count == 15 && v2.examples.count == 19)
        #expect(v1.version == "1.1" && v2.version == "v2.0")
        #expect(!v1.hasUnanswerable && v2.hasUnanswerable)
        #expect(v1.mismatchedAnswers.isEmpty && v2.mismatchedAnswers.isEmpty)
        let cafe = try #require(v1.examples.first { $0.id == "cafe-1" })
        #expect(cafe.answers.map(\.text) == ["Malmö", "in Malmö"] && cafe.path.hasPrefix("data[0].paragraphs[0].qas[0]"))
        // answer_start counts code points: "ö" and "ë" are one each.
        let scalars = Array(cafe.context.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[cafe.answers[0].range])) == "Malmö")
        let impossible = try #require(v2.examples.first { $0.id == "light-2" })
        #expect(impossible.isImpossible && impossible.answers.isEmpty && impossible.plausibleAnswers.map(\.text) == ["France"])
    }

    @Test func featuresMatchTransformers() throws {
        let reference = try Self.reference()
        let file = try Self.file("squad_v2.json")
        let made = try QuestionAnsweringFeatures.make(file.examples, tokenizer: try Self.tokenizer(), settings: reference.settings)
        let features = made.features
        #expect(made.truncatedQuestions.isEmpty)
        try #require(features.count == reference.features.count, "\(features.count) windows, transformers made \(reference.features.count)")
        var differences = 0
        for (k, (ours, want)) in zip(features, reference.features).enumerated() {
            let e = ours.encoding
            #expect(file.examples[ours.exampleIndex].id == want["example_id"] as! String, "window \(k)")
            #expect(e.ids == want["input_ids"] as! [Int], "window \(k) ids")
            #expect(e.typeIds.map(String.init).joined() == want["token_type_ids"] as! String, "window \(k) type ids")
            let offsets = (want["offsets"] as! [Any]).map { ($0 as? [Int]).map { $0[0]..<$0[1] } }
            #expect(ours.contextOffsets == offsets, "window \(k) offsets")
            #expect(ours.endPosition == want["end_position"] as! Int, "window \(k) end")
            #expect(ours.startPosition == want["start_position"] as! Int, "window \(k) start")
            #expect(ours.tokenIsMaxContext.map { $0 ? "1" : "0" }.joined() == want["token_is_max_context"] as! String, "window \(k) max context")
            let hfStart = want["hf_start_position"] as! Int
            if hfStart != ours.startPosition {
                // HF's walk ran past the context into [SEP]/padding: the answer starts in the last context token.
                differences += 1
                let lastContext = ours.contextOffsets.lastIndex { $0 != nil }
                #expect(ours.startPosition == lastContext && hfStart == (want["padded_length"] as! Int) - 1, "window \(k)")
            }
        }
        #expect(differences == 2, "the fixture covers answers in a window's last context token")
        // The CLS target on windows that hold only part of an answer, and on unanswerable questions.
        let impossible = features.filter { file.examples[$0.exampleIndex].isImpossible }
        #expect(!impossible.isEmpty && impossible.allSatisfy { $0.startPosition == 0 && $0.endPosition == 0 })
        #expect(features.contains { $0.startPosition == 0 && !file.examples[$0.exampleIndex].isImpossible })
        #expect(Set(features.map(\.exampleIndex)).count == file.examples.count)
        #expect(features.reduce(into: [Int: Int]()) { $0[$1.exampleIndex, default: 0] += 1 }.values.max()! >= 5,
                "a long context gives several windows")
    }

    @Test(arguments: ["v1_small", "v1_small_max_context", "v1_defaults", "v2_threshold_0", "v2_threshold_1.5"])
    func postprocessAndMetricsMatchReference(_ name: String) throws {
        let reference = try Self.reference()
        let run = try #require(reference.runs.first { $0["name"] as? String == name })
        let file = try Self.file(run["file"] as! String)
        let features = try QuestionAnsweringFeatures.make(file.examples, tokenizer: try Self.tokenizer(), settings: reference.settings).features
        let rows = Self.rows(features, file.examples, reference: reference)
        let starts = reference.logits("start_logits"), ends = reference.logits("end_logits")
        let settings = QuestionAnsweringPostprocessSettings(
            nBest: run["n_best"] as! Int, maxAnswerLength: run["max_answer_length"] as! Int, versionTwoWithNegative: run["v2"] as! Bool,
            nullScoreDiffThreshold: Float(run["threshold"] as! Double), useMaxContext: run["max_context"] as! Bool)
        let predictions = QuestionAnsweringPostprocess.predict(examples: file.examples, features: features,
                                                               startLogits: rows.map { starts[$0] }, endLogits: rows.map { ends[$0] },
                                                               settings: settings)
        let wantText = run["predictions"] as! [String: String]
        let wantNBest = run["nbest"] as! [String: [[String: Any]]]
        let wantOdds = run["null_odds"] as! [String: Double]
        #expect(predictions.map(\.id) == file.examples.map(\.id))
        for p in predictions {
            #expect(p.text == wantText[p.id], "\(name) \(p.id)")
            let want = wantNBest[p.id]!
            #expect(p.nBest.map(\.text) == want.map { $0["text"] as! String }, "\(name) \(p.id) n-best texts")
            for (c, w) in zip(p.nBest, want) {
                #expect(c.startLogit == Float(w["start_logit"] as! Double) && c.endLogit == Float(w["end_logit"] as! Double),
                        "\(name) \(p.id) \(c.text) logits")
                #expect(abs(Double(c.probability) - (w["probability"] as! Double)) <= 1e-5, "\(name) \(p.id) \(c.text) probability")
            }
            if settings.versionTwoWithNegative {
                let d = try #require(p.scoreDifference)
                #expect(abs(Double(d) - wantOdds[p.id]!) <= 1e-5, "\(name) \(p.id) null odds")
            } else {
                #expect(p.scoreDifference == nil)
            }
        }
        let metrics = SquadMetrics.evaluate(examples: file.examples, predictions: Dictionary(uniqueKeysWithValues: predictions.map { ($0.id, $0.text) }),
                                            version2: settings.versionTwoWithNegative)
        let wantMetrics = run["metrics"] as! [String: Double]
        #expect(Set(metrics.metrics.map(\.name)) == Set(wantMetrics.keys), "\(name) metric names")
        for (key, value) in wantMetrics {
            #expect(abs((metrics[key] ?? .nan) - value) <= 1e-9, "\(name) \(key): \(metrics[key] ?? .nan) vs \(value)")
        }
        #expect(metrics.primary == "f1")
    }

    @Test func officialNormalisationAndScores() throws {
        let cases = try Self.reference().json["metric_cases"] as! [[String: Any]]
        for c in cases {
            let prediction = c["prediction"] as! String, truths = c["truths"] as! [String]
            #expect(([prediction] + truths).map(SquadMetrics.normalize) == c["normalized"] as! [String], "normalize \(prediction)")
            let v1Exact = truths.map { SquadMetrics.exactMatch(prediction: prediction, truth: $0) }.max()!
            let v1F1 = truths.map { SquadMetrics.f1(prediction: prediction, truth: $0, version2: false) }.max()!
            let v2F1 = truths.map { SquadMetrics.f1(prediction: prediction, truth: $0, version2: true) }.max()!
            #expect(v1Exact == c["v1_exact"] as! Double && v1Exact == c["v2_exact"] as! Double, "exact \(prediction)")
            #expect(abs(v1F1 - (c["v1_f1"] as! Double)) <= 1e-12 && abs(v2F1 - (c["v2_f1"] as! Double)) <= 1e-12,
                    "f1 \(prediction) \(truths): \(v1F1) \(v2F1)")
        }
    }

    @Test func jsonFilesHaveTransformersShape() throws {
        let c = QuestionAnsweringCandidate(text: "Malmö \"x\"", startLogit: 1.5, endLogit: -0.25, probability: 0.75, isNull: false)
        let p = [QuestionAnsweringPrediction(id: "q1", text: "Malmö \"x\"", nBest: [c], scoreDifference: nil)]
        let dir = try FineTuneClassifyTests.directory("qa-json")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try QuestionAnsweringPostprocess.write(p, to: dir)
        #expect(files.map(\.lastPathComponent) == ["predictions.json", "nbest_predictions.json"])
        let predictions = try JSONSerialization.jsonObject(with: Data(contentsOf: files[0])) as! [String: String]
        #expect(predictions == ["q1": "Malmö \"x\""])
        let nbest = try JSONSerialization.jsonObject(with: Data(contentsOf: files[1])) as! [String: [[String: Any]]]
        guard let entry = nbest["q1"]?.first else { Issue.record("no n-best entry for q1"); return }
        #expect(Set(entry.keys) == ["start_logit", "end_logit", "text", "probability"])
        #expect(entry["start_logit"] as? Double == 1.5 && entry["probability"] as? Double == 0.75)
        let text = try String(contentsOf: files[1], encoding: .utf8)
        #expect(text.hasPrefix("{\n    \"q1\": [\n        {\n            \"start_logit\": 1.5,"))
    }
}
