import ArgumentParser
import BertKit
import TensorCore
import Foundation
import Tokenization

/// `bert fill-mask`: the masked-LM predictions of a model for each `[MASK]` of a text, as
/// Hugging Face's `fill-mask` pipeline gives them.
struct FillMaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fill-mask",
        abstract: "Predict the [MASK] tokens of texts (Hugging Face fill-mask pipeline output, one JSON line per text).",
        discussion: """
            Each text gives one JSON line, exactly what transformers' pipeline("fill-mask", top_k=K) returns for \
            it: with one [MASK], a list of K objects {score, token, token_str, sequence}; with several, one such \
            list per [MASK] (sequences then keep the special tokens, as the pipeline does). The model directory \
            needs a masked-LM head (BertForPreTraining or BertForMaskedLM, e.g. bert pretrain's OUTPUT/model; \
            DistilBertForMaskedLM when config.json says "model_type": "distilbert").
            Example: bert fill-mask --model run/model --top-k 5 "the [MASK] of the union is strong"
            """
    )

    @Option(help: "HF model directory (config.json, model.safetensors, vocab.txt or tokenizer.json).") var model: String
    @Option(help: "Candidates per [MASK].") var topK = 5
    @Argument(help: "Texts with [MASK] tokens.") var texts: [String]

    func validate() throws {
        guard topK > 0 else { throw ValidationError("--top-k must be positive, got \(topK)") }
        guard !texts.isEmpty else { throw ValidationError("give at least one text with [MASK]") }
    }

    func run() throws {
        TensorCore.configureBLASForThisProcess()  // may restart the process once (OpenBLAS settings)
        let fill: FillMask
        do { fill = try ModelSource(model).fillMask() } catch let error as BertError {
            throw CLIError(message: error.description)
        } catch let error as TokenizationError {
            throw CLIError(message: error.description)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for text in texts {
            let candidates: [[FillMaskPrediction]]
            do { candidates = try fill(text, topK: topK) } catch let error as BertError {
                throw CLIError(message: error.description)
            }
            let json = candidates.count == 1 ? try encoder.encode(candidates[0]) : try encoder.encode(candidates)
            FileHandle.standardOutput.write(json + Data("\n".utf8))
        }
    }
}
