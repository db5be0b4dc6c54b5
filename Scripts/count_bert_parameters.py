"""Parameter counts behind BertConfig.parameterCount (Tests/BertKitTests/MalformedConfigCorpusTests).

BertConfig.parameterCount is an upper bound used to refuse configs whose weights cannot fit in
memory: the encoder with pooler, the MLM head and a two-way classifier, which for bert-base is
exactly HF's BertForPreTraining (tied decoder weight counted once).

    python3 Scripts/count_bert_parameters.py     # pinned versions: Scripts/requirements.txt
"""
from transformers import BertConfig, BertForPreTraining, BertModel


def count(model):
    return sum(p.numel() for p in model.parameters())


for name, config in [("base", BertConfig()),
                     ("tiny", BertConfig(vocab_size=99, hidden_size=20, num_hidden_layers=2,
                                         num_attention_heads=4, intermediate_size=37,
                                         max_position_embeddings=40, type_vocab_size=3))]:
    print(f"{name}: BertModel {count(BertModel(config))}, BertForPreTraining {count(BertForPreTraining(config))}")
