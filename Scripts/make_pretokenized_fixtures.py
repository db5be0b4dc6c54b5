#!/usr/bin/env python3
"""Writes Tests/TokenizationTests/Fixtures/pretokenized.jsonl: encodings of text already split
into words (HF `is_split_into_words=True`, `is_pretokenized` in `tokenizers`), the input of token
classification, from the committed vocabularies of that folder (no download needed).

Settings: "uncased" (vocab-uncased.txt, lowercase + strip accents) and "cased" (vocab-cased.txt,
lowercase=False), both BertWordPieceTokenizer as in Scripts/make_tokenizer_fixtures.py.

Each line: {"s": setting, "w": words, "p": pair words or null, "t": truncation or null,
"e": expected encoding (ids, type ids, offsets, word ids, masks, sequence ids, overflowing
windows) or {"error": kind}}. Every case without truncation is also checked here to equal
transformers' BertTokenizerFast(..., is_split_into_words=True) — except an empty pair list, which
transformers drops (no pair) while `tokenizers` (and we) encode it as an empty second sequence.

Pinned versions: Scripts/requirements.txt (tokenizers 0.23.3, transformers 5.23.0).
    python3 Scripts/make_pretokenized_fixtures.py
"""
import json
import os
import random
import sys

import tokenizers
import transformers
from tokenizers.implementations import BertWordPieceTokenizer
from transformers import BertTokenizerFast

PINNED = {"tokenizers": "0.23.3", "transformers": "5.23.0"}
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "Tests", "TokenizationTests", "Fixtures")


def enc_json(e, full=True):
    d = {"ids": e.ids, "type_ids": e.type_ids, "offsets": [x for o in e.offsets for x in o]}
    if full:
        d["words"] = [-1 if w is None else w for w in e.word_ids]
        d["special"] = e.special_tokens_mask
        d["seq"] = [-1 if s is None else s for s in e.sequence_ids]
        d["overflow"] = [enc_json(o, full=False) for o in e.overflowing]
    return d


def error_kind(ex):
    msg = str(ex)
    if "stride" in msg:
        return "strideTooLarge"
    if "too short" in msg:
        return "sequenceTooShort"
    if "Second sequence not provided" in msg:
        return "secondSequenceNotProvided"
    return "other:" + msg[:80]


def word_lists():
    lists = [
        ["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."],
        ["Peter", "Blackburn"], ["BRUSSELS", "1996-08-22"], ["Hello", "world!"], ["U.S.", "troops", "don't"],
        # accents, combining marks, special casing
        ["Héllo", "Wörld", "naïve", "café", "résumé"], ["e\u0301", "a\u0308", "\u0301alone"], ["İstanbul", "ß", "ΟΔΟΣ"],
        ["ﬁne", "ǅemal", "Ångström"],
        # punctuation inside and alone
        ["(", "x+y", ")", "*", "z=w", "^_^", "e-mail:", "someone@example.com"], ["...", "—", "¿¡", "«»", "'s"],
        ["$100", "&", "50%", "3.14", "1,000"], ["C++", "C#", ".NET"],
        # CJK, kana, Hangul, emoji
        ["中文字符", "測試"], ["我爱", "北京", "。"], ["日本語の", "テキスト"], ["한국어", "텍스트"], ["👍🏽", "emoji😀inside", "🇺🇸"],
        # words that are empty after normalisation
        ["a", "\u0007", "b"], ["\u200b", "start"], ["end", "\u0000"], ["\ufffd", "\u00ad", "x"], ["", "empty", ""],
        ["\u0007"], [],
        # whitespace inside a word, special tokens as words
        ["a b", "c\td", " lead", "trail "], ["[MASK]", "is", "[CLS]"], ["a[MASK]b", "[mask]"], ["[UNK]", "[PAD]x"],
        # long words: 99, 100, 101 characters, unknown pieces
        ["a" * 99, "a" * 100, "a" * 101], ["supercalifragilistic" * 6, "x"], ["ẞẞẞ", "\ue000private"],
    ]
    rng = random.Random(20261204)
    pool = list("abcXYZ019.,!?'-#[]") + ["é", "e\u0301", "ß", "İ", "Σ", "中", "カ", "한", "😀", "\u200b", "\u00a0",
                                         "\u0000", "\ufffd", "[MASK]", "##", "¿", "€", "ﬁ", "\u0085", "\r", " "]
    for _ in range(50):
        lists.append(["".join(rng.choice(pool) for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(1, 9))])
    return lists


def main():
    got = {"tokenizers": tokenizers.__version__, "transformers": transformers.__version__}
    if got != PINNED:
        sys.exit(f"installed {got}, pinned {PINNED}: pip install -r Scripts/requirements.txt")
    vocab = {"uncased": os.path.join(OUT, "vocab-uncased.txt"), "cased": os.path.join(OUT, "vocab-cased.txt")}
    settings = {"uncased": BertWordPieceTokenizer(vocab["uncased"], lowercase=True)._tokenizer,
                "cased": BertWordPieceTokenizer(vocab["cased"], lowercase=False)._tokenizer}
    fast = {"uncased": BertTokenizerFast(vocab["uncased"], do_lower_case=True),
            "cased": BertTokenizerFast(vocab["cased"], do_lower_case=False)}
    lists = word_lists()
    cases = []

    def add(setting, words, pair=None, trunc=None):
        tok = settings[setting]
        case = {"s": setting, "w": words, "p": pair, "t": trunc}
        try:
            e = tok.encode(words, pair, is_pretokenized=True) if pair is not None else tok.encode(words, is_pretokenized=True)
            case["e"] = enc_json(e)
        except BaseException as ex:  # a Rust panic arrives as PanicException (BaseException)
            case["e"] = {"error": error_kind(ex)}
        if trunc is None and words and pair != []:
            # transformers' fast tokenizer (what run_ner calls) gives the same ids, word ids and offsets
            # (it takes an empty pair list for no pair, `tokenizers` for an empty second sequence).
            x = fast[setting](words, pair, is_split_into_words=True, return_offsets_mapping=True)
            assert x["input_ids"] == case["e"]["ids"], (words, pair, x["input_ids"], case["e"]["ids"])
            assert [-1 if w is None else w for w in x.word_ids()] == case["e"]["words"], words
            assert [v for o in x["offset_mapping"] for v in o] == case["e"]["offsets"], words
        cases.append(case)

    for setting in settings:
        settings[setting].no_truncation()
        settings[setting].no_padding()
        for words in lists:
            add(setting, words)
        rng = random.Random(5 if setting == "uncased" else 6)
        for _ in range(12):
            add(setting, rng.choice(lists), rng.choice(lists))

    # truncation of the joined tokens: words cut in the middle, stride windows, pairs
    tok = settings["uncased"]
    long_lists = [lists[0], lists[5] + lists[18]]  # plain; accents and a word empty after normalisation
    for max_length in [2, 5, 8]:
        for strategy in ["longest_first", "only_first", "only_second"]:
            for direction in ["right", "left"]:
                for stride in [0, 1]:
                    trunc = {"max_length": max_length, "strategy": strategy, "direction": direction, "stride": stride}
                    try:
                        tok.enable_truncation(max_length, stride=stride, strategy=strategy, direction=direction)
                    except BaseException:
                        continue
                    for words in long_lists:
                        add("uncased", words, None, trunc)
                    if max_length >= 3:  # below the pair's 3 special tokens HF leaves the pair uncut; we refuse (VocabularyTests)
                        add("uncased", lists[4], lists[1], trunc)
                        add("uncased", lists[2], lists[5], trunc)
    tok.no_truncation()

    with open(os.path.join(OUT, "pretokenized.jsonl"), "w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=True, separators=(",", ":")) + "\n")
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
