import ArgumentParser

@main
struct BertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bert",
        abstract: "BERT in Swift: tokenize, encode, train and benchmark.",
        subcommands: [
            TokenizeCommand.self,
            MLPExampleCommand.self,
            EncodeCommand.self,
            DemoCommand.self,
            BenchCommand.self,
            WhitenExampleCommand.self,
            PretrainingDataCommand.self, TrainVocabCommand.self,
            PretrainCommand.self,
            EvalPretrainCommand.self,
            FillMaskCommand.self,
            FinetuneCommand.self, PredictCommand.self, ClassifyCommand.self,
        ]
    )
}
