import ArgumentParser
import BertKit
import Foundation
import TensorCore

/// `bert whiten-example`: BERT-whitening (Linalg.svd of the embedding covariance) of
/// all-MiniLM-L6-v2 sentence embeddings, and its effect on a small graded similarity task
/// (Docs/LINALG.md).
struct WhitenExampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whiten-example",
        abstract: "Whiten sentence embeddings with Linalg.svd (BERT-whitening) and compare similarity before/after.",
        discussion: """
            Embeds the sentences of a small built-in set of graded pairs (0 = unrelated … 5 = same meaning) \
            with mean pooling, fits a Whitening on them (plus the lines of --corpus, if given), and prints \
            the anisotropy (mean cosine of all distinct sentence pairs) and the Spearman correlation of the \
            pair cosines with the grades, raw and whitened with k components.
            Example: bert whiten-example --model .cache/models/all-MiniLM-L6-v2 --components 8 --components 32
            """
    )

    @Option(help: "Model directory (config.json, model.safetensors, vocab.txt or tokenizer.json).")
    var model: String
    @Option(help: "Extra sentences (one per line) to fit the whitening on.") var corpus: String?
    @Option(help: "Principal directions kept (repeatable; default: all the sample allows).")
    var components: [Int] = []

    func run() throws {
        TensorCore.configureBLASForThisProcess()  // may restart the process once (OpenBLAS settings)
        let (bert, tokenizer) = try loadEncoder(directory: model)
        let pairs = Self.pairs
        let sentences = pairs.flatMap { [$0.0, $0.1] }
        var fitSentences = sentences
        if let corpus {
            let text = try String(contentsOfFile: corpus, encoding: .utf8)
            fitSentences += text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        }
        let vectors = try bert.sentenceEmbeddings(fitSentences, tokenizer: tokenizer, pooling: .mean)
        let d = vectors[0].count
        let all = Tensor(vectors.flatMap { $0 }, shape: [vectors.count, d])                  // [N, d]
        let task = all.narrow(axis: 0, start: 0, length: sentences.count)                      // [2P, d]
        print("all-MiniLM-L6-v2 mean pooling, d = \(d); \(pairs.count) graded pairs; whitening fitted on \(vectors.count) sentences")
        print("embedding       k   anisotropy  spearman")
        Self.report("raw", k: d, task, grades: pairs.map(\.2))
        let ks = components.isEmpty ? [Swift.min(d, vectors.count - 1)] : components
        for k in ks {
            guard k >= 1 && k <= Swift.min(d, vectors.count - 1) else {
                throw ValidationError("--components \(k) must be in 1...\(Swift.min(d, vectors.count - 1)) for \(vectors.count) sentences")
            }
            let whitening = try Whitening(fitting: all, components: k)
            Self.report("whitened", k: k, whitening(task), grades: pairs.map(\.2))
        }
    }

    /// Prints the anisotropy and the Spearman correlation for embeddings `x` [2P, k] of the pairs.
    static func report(_ name: String, k: Int, _ x: Tensor, grades: [Double]) {
        let unit = x / x.square().sum(axis: -1, keepDim: true).sqrt()                         // [2P, k]
        let cosines = unit.matmul(unit.transposed()).toArray()                                 // [2P, 2P]
        let n = x.shape[0]
        var total = 0.0
        for i in 0..<n { for j in 0..<n where i != j { total += Double(cosines[i * n + j]) } }
        let pairCosines = (0..<(n / 2)).map { Double(cosines[(2 * $0) * n + 2 * $0 + 1]) }
        let label = name.padding(toLength: 12, withPad: " ", startingAt: 0)
        print(label + String(format: " %4d   %9.4f  %8.4f", k, total / Double(n * (n - 1)), spearman(pairCosines, grades)))
    }

    /// Spearman's rank correlation (average ranks for ties).
    static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        func ranks(_ v: [Double]) -> [Double] {
            let order = v.indices.sorted { v[$0] < v[$1] }
            var r = [Double](repeating: 0, count: v.count)
            var i = 0
            while i < order.count {
                var j = i
                while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
                for t in i...j { r[order[t]] = Double(i + j) / 2 }
                i = j + 1
            }
            return r
        }
        let ra = ranks(a), rb = ranks(b)
        let ma = ra.reduce(0, +) / Double(ra.count), mb = rb.reduce(0, +) / Double(rb.count)
        var num = 0.0, da = 0.0, db = 0.0
        for i in ra.indices {
            num += (ra[i] - ma) * (rb[i] - mb)
            da += (ra[i] - ma) * (ra[i] - ma)
            db += (rb[i] - mb) * (rb[i] - mb)
        }
        return num / (da * db).squareRoot()
    }

    /// A small graded similarity set written for this example (STS-style grades 0–5).
    static let pairs: [(String, String, Double)] = [
        ("A man is playing a guitar.", "A man plays the guitar.", 5),
        ("A woman is slicing an onion.", "A woman is cutting an onion.", 5),
        ("The cat sleeps on the sofa.", "A cat is asleep on the couch.", 5),
        ("Two children are playing football in the park.", "Kids play soccer in a park.", 4.5),
        ("The stock market fell sharply today.", "Share prices dropped steeply today.", 4.5),
        ("A man is riding a horse.", "A man is riding a bicycle.", 2.5),
        ("A dog is running through the snow.", "A dog runs across a grassy field.", 3),
        ("She is reading a book in the library.", "She is writing a letter at home.", 1.5),
        ("The train was delayed by heavy snow.", "Snowfall caused the train to be late.", 4.5),
        ("A chef is cooking pasta.", "Someone is preparing a meal in a kitchen.", 3.5),
        ("The president gave a speech to congress.", "The leader addressed the legislature.", 4),
        ("A boy is swimming in the lake.", "A girl is climbing a tree.", 0.5),
        ("It is raining heavily outside.", "The weather is sunny and warm.", 1),
        ("The company reported record profits.", "The firm announced its highest earnings ever.", 4.5),
        ("A man is playing the piano.", "A woman is singing on stage.", 1.5),
        ("The baby is crying.", "An infant is weeping.", 4.5),
        ("He repaired the broken car engine.", "He fixed the motor of his car.", 4),
        ("Birds are flying south for the winter.", "The computer needs a software update.", 0),
        ("A plane is taking off.", "An airplane is departing from the runway.", 4.5),
        ("The students are taking an exam.", "The teacher is grading papers.", 2),
        ("A woman is peeling potatoes.", "A man is playing the flute.", 0),
        ("The river flooded the village.", "Water from the river covered the town.", 4),
        ("He bought a new phone yesterday.", "He purchased a smartphone the day before.", 4.5),
        ("Scientists discovered a new species of frog.", "A new kind of frog was found by researchers.", 4.5),
    ]
}
