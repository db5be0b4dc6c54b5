#!/usr/bin/env bash
# Two "hosts" on one machine: network namespaces bertA (10.77.0.1) and bertB (10.77.0.2) joined by
# a veth pair. mpirun runs in bertA; Open MPI starts its daemon in bertB through an rsh agent that
# does `ip netns exec` instead of ssh. MPI traffic uses btl tcp over the veth only.
# Runs a short `bert pretrain` on the two hosts (1 rank each, batch B) and in one process
# (batch 2B) and compares the losses. Needs root. Not part of CI.
#
#   sudo BERT=.build/release/bert bash Scripts/mpi_two_hosts.sh   # tiny generated data, dropout 0
#   sudo BERT=… VOCAB=vocab.txt DATA=train.jsonl CONFIG_JSON=config.json bash Scripts/mpi_two_hosts.sh
#   sudo SMOKE=1 bash Scripts/mpi_two_hosts.sh     # only the namespaces + an MPI hello (hostname)
set -euo pipefail
A=bertA; B=bertB; IPA=10.77.0.1; IPB=10.77.0.2
BERT=${BERT:-.build/release/bert}; STEPS=${STEPS:-20}; BATCH=${BATCH:-4}
WORK=$(mktemp -d /tmp/mpi_two_hosts.XXXXXX)

cleanup() {
    ip netns del "$A" 2>/dev/null || true   # deleting a namespace deletes its end of the veth pair
    ip netns del "$B" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
cleanup; WORK=$(mktemp -d /tmp/mpi_two_hosts.XXXXXX)

ip netns add "$A"
ip netns add "$B"
ip link add vethA netns "$A" type veth peer name vethB netns "$B"
ip -n "$A" addr add "$IPA/24" dev vethA
ip -n "$B" addr add "$IPB/24" dev vethB
for ns in "$A" "$B"; do ip -n "$ns" link set lo up; done
ip -n "$A" link set vethA up
ip -n "$B" link set vethB up
ip -n "$A" neigh flush all; ip -n "$A" route get "$IPB" >/dev/null
echo "namespaces up: $A $IPA <-> $B $IPB"

# rsh agent: Open MPI calls `agent HOST COMMAND...`; run COMMAND in the namespace owning HOST.
cat > "$WORK/netns-rsh" <<AGENT
#!/bin/sh
host=\$1; shift
case "\$host" in
  $IPA) ns=$A ;;
  $IPB) ns=$B ;;
  *) echo "netns-rsh: unknown host \$host" >&2; exit 1 ;;
esac
exec ip netns exec "\$ns" /bin/sh -c "\$*"
AGENT
chmod +x "$WORK/netns-rsh"
printf '%s slots=1\n%s slots=1\n' "$IPA" "$IPB" > "$WORK/hosts"

MPI=(mpirun --allow-run-as-root --hostfile "$WORK/hosts" -np 2
     --mca plm_rsh_agent "$WORK/netns-rsh"
     --mca btl tcp,self --mca btl_tcp_if_include "$IPA/24,$IPB/24" --mca oob_tcp_if_include "$IPA/24,$IPB/24"
     -x OPENBLAS_NUM_THREADS=1)

echo "== MPI hello across the namespaces"
ip netns exec "$A" "${MPI[@]}" /bin/sh -c 'echo "rank $OMPI_COMM_WORLD_RANK in netns $(ip netns identify $$)"'

echo "== MPI_Allreduce of 64 MB over btl tcp (veth)"
cat > "$WORK/allreduce.c" <<'C'
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size; MPI_Comm_rank(MPI_COMM_WORLD, &rank); MPI_Comm_size(MPI_COMM_WORLD, &size);
    int n = 16 << 20; float *x = malloc(n * sizeof(float));
    for (int i = 0; i < n; i++) x[i] = (float)(rank + 1);
    double t = MPI_Wtime();
    MPI_Allreduce(MPI_IN_PLACE, x, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    t = MPI_Wtime() - t;
    float want = size * (size + 1) / 2.0f; int bad = 0;
    for (int i = 0; i < n; i++) bad += x[i] != want;
    if (rank == 0) printf("allreduce 64 MB: %s, %.1f ms\n", bad ? "WRONG" : "correct", t * 1e3);
    MPI_Finalize(); return bad != 0;
}
C
mpicc -O2 -o "$WORK/allreduce" "$WORK/allreduce.c"
ip netns exec "$A" "${MPI[@]}" "$WORK/allreduce"

[ "${SMOKE:-0}" = 1 ] && exit 0

if [ -z "${VOCAB:-}" ]; then   # tiny data as in Tests/BertDistributedTests (google-research/bert jsonl)
    VOCAB=$WORK/vocab.txt; DATA=$WORK/train.jsonl
    python3 - "$WORK" <<'PY'
import json, random, sys
d = sys.argv[1]; rng = random.Random(4); words = [f"w{i}" for i in range(59)]
open(f"{d}/vocab.txt", "w").write("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words) + "\n")
with open(f"{d}/train.jsonl", "w") as f:
    for _ in range(96):
        a = [rng.choice(words) for _ in range(rng.randint(2, 9))]; b = [rng.choice(words) for _ in range(rng.randint(2, 9))]
        tokens = ["[CLS]"] + a + ["[SEP]"] + b + ["[SEP]"]; seg = [0] * (len(a) + 2) + [1] * (len(b) + 1)
        pos = [k for k in range(len(tokens)) if tokens[k].startswith("w") and rng.random() < 0.15] or [1]
        labels = [tokens[k] for k in pos]
        for k in pos: tokens[k] = "[MASK]"
        f.write(json.dumps({"tokens": tokens, "segment_ids": seg, "is_random_next": rng.random() < 0.5,
                            "masked_lm_positions": pos, "masked_lm_labels": labels}) + "\n")
json.dump({"vocab_size": 64, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2,
           "intermediate_size": 64, "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0,
           "max_position_embeddings": 32, "type_vocab_size": 2, "hidden_act": "gelu",
           "layer_norm_eps": 1e-12, "initializer_range": 0.02, "model_type": "bert"}, open(f"{d}/config.json", "w"))
PY
    CONFIG=(--config "$WORK/config.json")
else
    : "${DATA:?DATA=train.jsonl needed with VOCAB}"
    CONFIG=(--layers 2 --hidden 32 --heads 2 --intermediate 64)   # dropout 0 needs --config with it
    [ -n "${CONFIG_JSON:-}" ] && CONFIG=(--config "$CONFIG_JSON")
fi
COMMON=(pretrain --vocab "$VOCAB" --data "$DATA" "${CONFIG[@]}" --max-seq-length 24 --warmup-steps 3
        --steps "$STEPS" --lr 2e-3 --log-every 1 --seed 7)
echo "== one process, batch $((2 * BATCH))"
OPENBLAS_NUM_THREADS=1 "$BERT" "${COMMON[@]}" --batch-size $((2 * BATCH)) --output "$WORK/one" >/dev/null
echo "== two hosts, batch $BATCH each"
ip netns exec "$A" "${MPI[@]}" "$(realpath "$BERT")" "${COMMON[@]}" --batch-size "$BATCH" --output "$WORK/two" >/dev/null
python3 - "$WORK/one/metrics.jsonl" "$WORK/two/metrics.jsonl" <<'PY'
import json, sys
def losses(p):
    return [r["loss"] for r in map(json.loads, open(p)) if r.get("kind") == "train"]
a, b = losses(sys.argv[1]), losses(sys.argv[2])
assert len(a) == len(b) and a, (len(a), len(b))
rel = max(abs(x - y) / max(abs(x), 1e-12) for x, y in zip(a, b))
print(f"{len(a)} steps, max relative loss difference {rel:.3g}")
sys.exit(0 if rel < 1e-5 else 1)
PY
