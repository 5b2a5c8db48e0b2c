#!/usr/bin/env bash
# Regenerates the word error rate fixtures: test/fixtures/wer/ref.trn and test/fixtures/wer/hyp.trn.
#
# Real speech and real recogniser output, so the WER code is checked against NIST sclite on the
# kind of errors a reviewer corrects: every multi-word English prompt of Debian's
# asterisk-core-sounds-en-wav (Allison Smith, CC-BY-SA-3.0), decoded one by one by CMU
# PocketSphinx exactly as scripts/demo/make-demo-clips.sh does (see resources/demo/SOURCES.md).
#   ref.trn: the human transcript shipped with the sounds, normalised like the demo's references
#            (lowercase, digits spelled out one by one, punctuation and hyphens become spaces,
#            apostrophes inside words kept).
#   hyp.trn: PocketSphinx's output, lowercased and its lines joined by spaces; words never edited.
# Both are NIST trn files: "words (utterance-id)" per line, ids "allison-<prompt>" in lowercase
# with "/" as "-" (sclite lowercases ids, and -i rm reads "allison" as the speaker).
#
# Needs (Debian/Ubuntu, as root):
#   apt-get install asterisk-core-sounds-en-wav asterisk-core-sounds-en pocketsphinx pocketsphinx-en-us sox
# Run from anywhere (5-10 minutes on 2 cores):
#   bash scripts/wer-fixtures/make-trn.sh
# Reruns with the same package versions give the same files byte for byte.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT_DIR=$ROOT/test/fixtures/wer

SOUNDS=/usr/share/asterisk/sounds/en_US_f_Allison
TRANSCRIPTS=/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz
MODEL=/usr/share/pocketsphinx/model/en-us
# The demo script's CMN start value for this voice (why: resources/demo/SOURCES.md).
CMNINIT=46,32,-27,41,-15,-1,5,-19,17,-17,-2,1,-16
MIN_PROMPTS=220

die() {
  echo "make-trn: $*" >&2
  exit 1
}

# --- Preconditions -------------------------------------------------------------------------
for cmd in sox pocketsphinx_continuous zcat xargs; do
  command -v "$cmd" >/dev/null ||
    die "$cmd not found; apt-get install asterisk-core-sounds-en-wav asterisk-core-sounds-en pocketsphinx pocketsphinx-en-us sox"
done
for f in "$TRANSCRIPTS" "$MODEL/en-us/feat.params" "$MODEL/en-us.lm.bin" "$MODEL/cmudict-en-us.dict"; do
  [[ -f $f ]] || die "$f is missing; is its package installed?"
done
[[ -d $SOUNDS ]] || die "$SOUNDS is missing; apt-get install asterisk-core-sounds-en-wav"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

sed "s/^-cmninit .*/-cmninit $CMNINIT/" "$MODEL/en-us/feat.params" >"$TMP/feat.params"
grep -q "^-cmninit $CMNINIT\$" "$TMP/feat.params" || die "could not set -cmninit in a copy of feat.params"

# Same as make-demo-clips.sh: transcript text -> lowercase words.
normalise() {
  tr '[:upper:]' '[:lower:]' |
    sed -e 's/0/ zero /g; s/1/ one /g; s/2/ two /g; s/3/ three /g; s/4/ four /g' \
      -e 's/5/ five /g; s/6/ six /g; s/7/ seven /g; s/8/ eight /g; s/9/ nine /g' \
      -e "s/[^a-z' ]/ /g" -e "s/^'/ /; s/'\$/ /; s/ '/  /g; s/' /  /g" |
    tr -s ' ' | sed 's/^ //; s/ $//'
}

# --- Choose the prompts --------------------------------------------------------------------
# "name: Text." lines whose audio exists. Left out: silence/*, and texts that describe a sound
# or name a symbol ("[ascending tones]", "<beep>", "press * to ...", "dot [.]"), because their
# spoken words are not in the text. Kept: texts of two or more words, so every pair exercises
# the alignment rather than one word against one word.
SKIP_RE='[][<>()*#@]'
zcat "$TRANSCRIPTS" | grep -v '^;' | grep -v '^[[:space:]]*$' >"$TMP/transcripts.txt"
: >"$TMP/chosen.tsv"
while IFS= read -r line; do
  name=${line%%: *}
  text=${line#*: }
  [[ $name != "$line" && -n $name ]] || continue
  [[ $name == silence/* ]] && continue
  [[ $text =~ $SKIP_RE ]] && continue
  [[ -f $SOUNDS/$name.wav ]] || continue
  reference=$(printf '%s' "$text" | normalise)
  [[ $(wc -w <<<"$reference") -ge 2 ]] || continue
  id=allison-$(printf '%s' "$name" | tr '[:upper:]/' '[:lower:]-')
  printf '%s\t%s\t%s\n' "$id" "$name" "$reference" >>"$TMP/chosen.tsv"
done <"$TMP/transcripts.txt"

count=$(wc -l <"$TMP/chosen.tsv")
[[ $count -ge $MIN_PROMPTS ]] || die "only $count usable prompts (need $MIN_PROMPTS); is the package complete?"
[[ $(cut -f1 "$TMP/chosen.tsv" | sort -u | wc -l) -eq $count ]] || die "utterance ids collide"

# --- Decode --------------------------------------------------------------------------------
# One process per prompt, as the demo does (a fresh recogniser, so no CMN carries over between
# clips); several at once to use every core. Each writes its own file, assembled in order below.
decode() { # $1: id, $2: prompt name. Writes $TMP/hyp/$1.
  local wav=$TMP/wav/$1.wav
  sox -R -V1 "$SOUNDS/$2.wav" -r 16000 -c 1 -b 16 "$wav"
  pocketsphinx_continuous -infile "$wav" \
    -hmm "$MODEL/en-us" -lm "$MODEL/en-us.lm.bin" -dict "$MODEL/cmudict-en-us.dict" \
    -featparams "$TMP/feat.params" -dither yes -seed 1 -logfn /dev/null |
    tr '[:upper:]' '[:lower:]' | tr '\t\r\n' '   ' | tr -s ' ' | sed 's/^ //; s/ $//' >"$TMP/hyp/$1.part"
  mv "$TMP/hyp/$1.part" "$TMP/hyp/$1"
  rm -f "$wav"
}
export -f decode
export TMP SOUNDS MODEL
mkdir -p "$TMP/wav" "$TMP/hyp"
cut -f1,2 "$TMP/chosen.tsv" | tr '\t' '\n' |
  xargs -d '\n' -n 2 -P "$(nproc)" bash -c 'decode "$1" "$2"' _ ||
  die "decoding failed"

# --- Write ---------------------------------------------------------------------------------
: >"$TMP/ref.trn"
: >"$TMP/hyp.trn"
empty=0
while IFS=$'\t' read -r id _name reference; do
  [[ -f $TMP/hyp/$id ]] || die "no hypothesis for $id"
  hyp=$(<"$TMP/hyp/$id")
  [[ -n $hyp ]] || empty=$((empty + 1))
  printf '%s (%s)\n' "$reference" "$id" >>"$TMP/ref.trn"
  printf '%s (%s)\n' "$hyp" "$id" >>"$TMP/hyp.trn"
done <"$TMP/chosen.tsv"

# Printable ASCII only, one utterance per line, so both files are plain trn text.
for f in "$TMP/ref.trn" "$TMP/hyp.trn"; do
  ! LC_ALL=C grep -n '[^[:print:]]' "$f" || die "$(basename "$f") has non-printable or non-ASCII text"
  [[ $(wc -l <"$f") -eq $count ]] || die "$(basename "$f") does not have $count lines"
done

mkdir -p "$OUT_DIR"
mv "$TMP/ref.trn" "$OUT_DIR/ref.trn"
mv "$TMP/hyp.trn" "$OUT_DIR/hyp.trn"
echo "wrote $count utterances ($empty with an empty hypothesis) to ${OUT_DIR#"$ROOT"/}/{ref,hyp}.trn"
