import Foundation
import Testing
import BertKit
import TensorCore

/// `FillMask` and `bert fill-mask` against transformers' fill-mask pipeline on the tiny
/// checkpoint (Tests/BertKitTests/Fixtures/fill_mask.json, Scripts/make_fill_mask_fixtures.py):
/// same tokens in the same order, same token_str and sequence, scores to float rounding. The same
/// for DistilBERT on the tiny random DistilBertForMaskedLM of Fixtures/distilbert_mlm.
@Suite struct FillMaskTests {
    struct Case { var text: String; var topK: Int; var output: [[[String: Any]]]; var multiple: Bool }

    static func cases(_ url: URL = fixturesURL("fill_mask.json")) throws -> [Case] {
        let data = try Data(contentsOf: url)
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (json["cases"] as! [[String: Any]]).map { c in
            let single = c["output"] as? [[String: Any]]
            return Case(text: c["text"] as! String, topK: c["top_k"] as! Int,
                        output: single.map { [$0] } ?? (c["output"] as! [[[String: Any]]]), multiple: single == nil)
        }
    }

    static func compare(_ ours: [[FillMaskPrediction]], _ expected: [[[String: Any]]], _ text: String) {
        #expect(ours.count == expected.count, "\(text): masks")
        for (mine, theirs) in zip(ours, expected) {
            #expect(mine.count == theirs.count, "\(text): top-k")
            for (p, e) in zip(mine, theirs) {
                #expect(p.token == e["token"] as! Int, "\(text)")
                #expect(p.tokenString == e["token_str"] as! String, "\(text)")
                #expect(p.sequence == e["sequence"] as! String, "\(text)")
                let score = e["score"] as! Double
                #expect(abs(p.score - score) <= 1e-5 * score, "\(text): score \(p.score) vs \(score)")
            }
        }
    }

    @Test func matchesTheTransformersPipeline() throws {
        let fill = try FillMask(directory: try BertModelDirectory(fixturesURL("tiny_gelu")))
        for c in try Self.cases() {
            Self.compare(try fill(c.text, topK: c.topK), c.output, c.text)
        }
        #expect(throws: BertError.self) { try fill("no mask here") }
    }

    @Test func commandWritesOneJSONLinePerText() throws {
        let cases = try Self.cases().filter { $0.topK == 2 || $0.topK == 3 }
        let run = try BertBinary.run(["fill-mask", "--model", fixturesURL("tiny_gelu").path, "--top-k", "3"] + cases.map(\.text))
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == cases.count)
        for (line, c) in zip(lines, cases) {
            let json = try JSONSerialization.jsonObject(with: Data(line.utf8))
            let parsed = c.multiple ? json as! [[[String: Any]]] : [json as! [[String: Any]]]
            #expect(parsed.allSatisfy { $0.count == 3 })
            // The fixture's first min(3, k) candidates are the command's first ones.
            for (mine, theirs) in zip(parsed, c.output) {
                for (p, e) in zip(mine, theirs) {
                    #expect(p["token"] as! Int == e["token"] as! Int && p["sequence"] as! String == e["sequence"] as! String)
                    #expect(abs((p["score"] as! Double) - (e["score"] as! Double)) <= 1e-5 * (e["score"] as! Double))
                }
            }
        }
    }

    @Test func distilBertMatchesTheTransformersPipeline() throws {
        let dir = fixturesURL("distilbert_mlm")
        let fill = try FillMask(directory: try DistilBertModelDirectory(dir))
        let cases = try Self.cases(dir.appendingPathComponent("fill_mask.json"))
        #expect(cases.count == 5)
        for c in cases {
            Self.compare(try fill(c.text, topK: c.topK), c.output, c.text)
        }
        // bert fill-mask picks DistilBERT from config.json and prints the same.
        let single = cases.filter { !$0.multiple }
        let run = try BertBinary.run(["fill-mask", "--model", dir.path, "--top-k", "1"] + single.map(\.text))
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == single.count)
        for (line, c) in zip(lines, single) {
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [[String: Any]])
            #expect(parsed.count == 1 && parsed[0]["token"] as? Int == c.output[0][0]["token"] as? Int, "\(c.text)")
        }
        // A DistilBERT checkpoint without the masked-LM head (a sequence classifier) is refused.
        let classifier = fixturesURL("distilbert/tiny")
        #expect(throws: BertError.self) { try FillMask(directory: try DistilBertModelDirectory(classifier)) }
        let refused = try BertBinary.run(["fill-mask", "--model", classifier.path, "[MASK] w1"])
        #expect(refused.status != 0 && refused.stderr.contains("has no masked-LM head") && refused.stderr.contains("vocab_projector.bias"),
                "\(refused.stderr)")
    }
}
