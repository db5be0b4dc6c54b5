import Foundation
import TensorCore

/// A BERT model class that can be built from a config and filled from a Hugging Face checkpoint
/// by ``BertModelDirectory/load(_:numLabels:seed:configure:)`` — every task head.
public protocol BertPretrainedModel: Module {
    init(config: BertConfig, initialization: BertWeightInitialization, generator: inout RandomGenerator)
}

extension BertForPreTraining: BertPretrainedModel {}
extension BertForMaskedLM: BertPretrainedModel {}
extension BertLMHeadModel: BertPretrainedModel {}
extension BertForNextSentencePrediction: BertPretrainedModel {}
extension BertForSequenceClassification: BertPretrainedModel {}
extension BertForTokenClassification: BertPretrainedModel {}
extension BertForQuestionAnswering: BertPretrainedModel {}
extension BertForMultipleChoice: BertPretrainedModel {}

/// A model loaded from a checkpoint that may lack some of its weights (a task head on a
/// pretrained encoder): the model, what the load matched, and which weights were newly
/// initialised.
public struct LoadedBertModel<Model: Module>: @unchecked Sendable {
    /// The model, in evaluation mode (call `train()` before fine-tuning).
    public let model: Model
    /// What the checkpoint provided, lacked (initialised anew) and had in excess (not used).
    public let report: CheckpointReport
    /// Weights the checkpoint did not provide, initialised as Hugging Face does
    /// (normal(0, initializer_range), biases 0, LayerNorm 1/0).
    public var newlyInitialized: [String] { report.missing }
    /// Checkpoint tensors the model did not use (e.g. `cls.*` of a pretraining checkpoint under a
    /// classifier).
    public var unused: [String] { report.unexpected }

    /// The warning `transformers`' `from_pretrained` prints for the same load, or nil when the
    /// checkpoint matched exactly.
    public var warning: String? {
        var lines: [String] = []
        let name = String(describing: Model.self)
        if !report.unexpected.isEmpty {
            lines.append("Some weights of the model checkpoint at \(source) were not used when initializing \(name): \(report.unexpected)")
        }
        if !report.missing.isEmpty {
            lines.append("Some weights of \(name) were not initialized from the model checkpoint at \(source) and are newly initialized: \(report.missing)")
            lines.append("You should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.")
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// The model directory's path, for messages.
    public let source: String
}

extension BertModelDirectory {
    /// Builds `type` from this directory's config and fills it from its weights, as
    /// `AutoModelFor….from_pretrained` does: the encoder (and whatever head weights the
    /// checkpoint has) are loaded without random initialisation first; weights the checkpoint
    /// lacks (a new classifier) are initialised the Hugging Face way from `seed`; checkpoint
    /// tensors the model does not use are reported, not an error.
    ///
    /// ```swift
    /// let directory = try BertModelDirectory(URL(fileURLWithPath: "all-MiniLM-L6-v2"))
    /// let loaded = try directory.load(BertForSequenceClassification.self, numLabels: 2)
    /// if let warning = loaded.warning { print(warning) }   // classifier.weight, classifier.bias are new
    /// let classifier = loaded.model                         // eval mode; train() to fine-tune
    /// ```
    ///
    /// - Parameters:
    ///   - numLabels: overrides `config.json`'s label count (labels become `LABEL_0…`).
    ///   - seed: the random stream of new weights and of every dropout layer.
    ///   - configure: further changes to the config before the model is built (e.g. dropout).
    /// - Throws: `BertError.malformedFile` naming `model.safetensors` when a tensor's shape does
    ///   not match the model (as `from_pretrained` without `ignore_mismatched_sizes`), or when the
    ///   weights cannot be read; `BertError.invalidConfig` for an invalid `numLabels`.
    public func load<Model: BertPretrainedModel>(
        _ type: Model.Type, numLabels: Int? = nil, seed: UInt64 = 0,
        configure: (inout BertConfig) -> Void = { _ in }
    ) throws -> LoadedBertModel<Model> {
        var config = self.config
        if let n = try validatedLabelCount(numLabels), n != config.numLabels { config.numLabels = n }
        configure(&config)
        return try loadPretrained(
            Model.self, tensors: tensors(), weightsURL: weightsURL, source: url.path, seed: seed,
            build: { Model(config: config, initialization: .zeros, generator: &$0) },
            fill: { try BertCheckpoint.load($0, into: $1, strict: false) },
            initializeMissing: { model, missing, generator in
                initializeBertWeights(model, config: config, generator: &generator, only: missing)
                packAttentionProjections(in: model)
            })
    }
}

/// `numLabels` as a label-count override: nil keeps the config's; it must be positive.
func validatedLabelCount(_ numLabels: Int?) throws -> Int? {
    if let numLabels, numLabels <= 0 { throw BertError.invalidConfig("numLabels must be positive, got \(numLabels)") }
    return numLabels
}

/// `from_pretrained`'s steps, the same for every architecture's directory: build the model
/// without random initialisation, fill it non-strictly from the checkpoint's `tensors`, refuse a
/// tensor of the wrong shape (naming `weightsURL`), initialise what the checkpoint lacked from
/// the `seed` stream (which goes on to the model's dropout layers), switch to evaluation mode.
func loadPretrained<Model: Module>(
    _ type: Model.Type, tensors: [String: Tensor], weightsURL: URL, source: String, seed: UInt64,
    build: (inout RandomGenerator) -> Model,
    fill: ([String: Tensor], Model) throws -> CheckpointReport,
    initializeMissing: (Model, Set<String>, inout RandomGenerator) -> Void
) throws -> LoadedBertModel<Model> {
    var generator = RandomGenerator(seed: seed)
    let model = build(&generator)
    let report = try fill(tensors, model)
    guard report.wrongShape.isEmpty else {
        throw BertError.malformedFile(path: weightsURL.path, reason: "does not match \(Model.self) built from config.json: \(report)")
    }
    if !report.missing.isEmpty { initializeMissing(model, Set(report.missing), &generator) }
    model.eval()
    return LoadedBertModel(model: model, report: report, source: source)
}
