#!/usr/bin/env bash
# Regenerates Earmark's bundled demo data: resources/demo/clips/*.opus and resources/demo/clips.tsv.
#
# The recordings are real speech: prompts from Debian's asterisk-core-sounds-en-wav package
# (Allison Smith, CC-BY-SA-3.0; see resources/demo/SOURCES.md). The asr_text column is the
# unedited output of CMU PocketSphinx, so it has the kind of errors a reviewer corrects.
# The reference_text column is the human transcript shipped with the sounds, normalised.
#
# Needs (Debian/Ubuntu, as root):
#   apt-get install asterisk-core-sounds-en-wav pocketsphinx pocketsphinx-en-us opus-tools sox
# Run from anywhere:
#   bash scripts/demo/make-demo-clips.sh
# Reruns with the same package versions give the same text and audio bytes, and keep the clip id
# clips.tsv already gives each source; a new source gets a fresh random id.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT_DIR=$ROOT/resources/demo
CLIP_DIR=$OUT_DIR/clips
TSV=$OUT_DIR/clips.tsv

# Asterisk calls this voice "en" (/usr/share/asterisk/sounds/en is an alternatives link to it);
# read the package's own directory so another installed English voice cannot sneak in.
SOUNDS=/usr/share/asterisk/sounds/en_US_f_Allison
# File name -> what is said, one "name: Text." per line (installed by asterisk-core-sounds-en,
# a dependency of asterisk-core-sounds-en-wav).
TRANSCRIPTS=/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz
MODEL=/usr/share/pocketsphinx/model/en-us

# The chosen prompts (names in the transcript file, without .wav): natural sentences of 2-8 s of
# speech that a person could hear from, or say near, a voice assistant; some with digits. Most
# get a few recognition errors, a couple none, one many.
PROMPTS=(
  pls-hold-while-try
  vm-tempgreeting2
  tt-monkeysintro
  privacy-prompt
  check-number-dial-again
  vm-newuser
  queue-holdtime
  vm-sorry
  vm-calldiffnum
  vm-nonumber
  queue-youarenext
  info-about-last-call
  vm-instructions
  vm-nobodyavail
  please-try-call-later
)
# Exactly one clip is marked as having had its consent withdrawn, so the demo shows a refusal.
WITHDRAWN=vm-nonumber

die() {
  echo "make-demo-clips: $*" >&2
  exit 1
}

# --- Preconditions -------------------------------------------------------------------------
for cmd in sox pocketsphinx_continuous opusenc opusinfo sha256sum zcat; do
  command -v "$cmd" >/dev/null ||
    die "$cmd not found; apt-get install asterisk-core-sounds-en-wav pocketsphinx pocketsphinx-en-us opus-tools sox"
done
for f in "$TRANSCRIPTS" "$MODEL/en-us/feat.params" "$MODEL/en-us.lm.bin" "$MODEL/cmudict-en-us.dict"; do
  [[ -f $f ]] || die "$f is missing; is its package installed?"
done
[[ -d $SOUNDS ]] || die "$SOUNDS is missing; apt-get install asterisk-core-sounds-en-wav"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# --- Recogniser set-up ---------------------------------------------------------------------
# The prompts are 8 kHz telephone audio, upsampled to the 16 kHz the en-us model expects. With
# nothing above 4 kHz their cepstral means are far from the model's defaults, and pocketsphinx's
# live CMN only adapts after an utterance, so every short clip came out as noise ("one", "hm").
# We therefore start CMN from the mean this voice actually has: estimated once by decoding about a
# minute of concatenated prompts from this package and reading the final cmn_live value in the
# log, rounded. This build lets the model's feat.params override -cmninit on the command line, so
# the value goes into a copy of feat.params passed with -featparams. Dither (fixed seed) keeps
# the empty upper filter banks out of log(0) territory. Everything else is the stock model.
CMNINIT=46,32,-27,41,-15,-1,5,-19,17,-17,-2,1,-16
sed "s/^-cmninit .*/-cmninit $CMNINIT/" "$MODEL/en-us/feat.params" >"$TMP/feat.params"
grep -q "^-cmninit $CMNINIT\$" "$TMP/feat.params" || die "could not set -cmninit in a copy of feat.params"

recognise() { # $1: 16 kHz mono 16-bit WAV. Prints the hypothesis on one line, lowercase.
  pocketsphinx_continuous -infile "$1" \
    -hmm "$MODEL/en-us" -lm "$MODEL/en-us.lm.bin" -dict "$MODEL/cmudict-en-us.dict" \
    -featparams "$TMP/feat.params" -dither yes -seed 1 -logfn /dev/null |
    tr '[:upper:]' '[:lower:]' | tr '\t\r\n' '   ' | tr -s ' ' | sed 's/^ //; s/ $//'
}

# Transcript text -> lowercase words: digits spelled out one by one (the prompts say "press 1"
# as "press one"), punctuation and hyphens become spaces, apostrophes inside words stay.
normalise() {
  tr '[:upper:]' '[:lower:]' |
    sed -e 's/0/ zero /g; s/1/ one /g; s/2/ two /g; s/3/ three /g; s/4/ four /g' \
      -e 's/5/ five /g; s/6/ six /g; s/7/ seven /g; s/8/ eight /g; s/9/ nine /g' \
      -e "s/[^a-z' ]/ /g" -e "s/^'/ /; s/'\$/ /; s/ '/  /g; s/' /  /g" |
    tr -s ' ' | sed 's/^ //; s/ $//'
}

# A clip id as Earmark packs it (docs/batch-package.md, "Ids"): "c-" and 16 Crockford base-32
# characters from the kernel's CSPRNG, each from the low 5 bits of one random byte (unbiased).
CROCKFORD=0123456789ABCDEFGHJKMNPQRSTVWXYZ
new_clip_id() {
  local id=c- byte
  for byte in $(od -An -tu1 -N16 /dev/urandom); do
    id+=${CROCKFORD:$((byte & 31)):1}
  done
  printf '%s' "$id"
}

# Ids already given to sources stay, so reruns do not rename the demo clips.
declare -A KNOWN_IDS=()
if [[ -f $TSV ]]; then
  while IFS=$'\t' read -r known_id _ _ _ _ _ known_source; do
    [[ $known_id == clip_id ]] || KNOWN_IDS[$known_source]=$known_id
  done <"$TSV"
fi

# --- Build ---------------------------------------------------------------------------------
mkdir -p "$CLIP_DIR"
rm -f "$CLIP_DIR"/*.opus # only this script's output lives here
printf 'clip_id\tfile\tasr_text\tconsent\tlocale\treference_text\tsource\n' >"$TMP/clips.tsv"

withdrawn_count=0
for name in "${PROMPTS[@]}"; do
  src=$SOUNDS/$name.wav
  source_name=en/$name.wav
  [[ -f $src ]] || die "$src is missing"

  clip_id=${KNOWN_IDS[$source_name]:-$(new_clip_id)}
  [[ $clip_id =~ ^c-[0-9A-HJKMNP-TV-Z]{16}$ ]] || die "clip id $clip_id for $source_name is not in Earmark's form"
  file=$clip_id.opus
  # The Ogg stream serial comes from the source name, so the audio bytes do not depend on the id.
  hex=$(printf '%s' "$source_name" | sha256sum | cut -c1-8)

  # Human transcript: the line "name: Text." in the transcript file.
  text=$(zcat "$TRANSCRIPTS" | awk -v k="$name:" '$1 == k { sub(/^[^:]*: */, ""); print; exit }')
  [[ -n $text ]] || die "no transcript for $name"
  reference=$(printf '%s' "$text" | normalise)

  # 16 kHz mono 16-bit WAV, the recogniser's input; -R makes sox's dither repeatable.
  wav=$TMP/$clip_id.wav
  sox -R -V1 "$src" -r 16000 -c 1 -b 16 "$wav"

  asr=$(recognise "$wav")
  [[ -n $asr ]] || die "pocketsphinx heard nothing in $name; choose another prompt"

  # Ogg Opus for the app: 24 kbit/s VBR tuned for speech, mono, no spare header padding. The
  # stream serial number comes from the source name so the bytes are the same on every run.
  opusenc --quiet --bitrate 24 --vbr --speech --downmix-mono --padding 0 \
    --serial $((16#${hex:0:7})) "$wav" "$CLIP_DIR/$file"

  consent=granted
  if [[ $name == "$WITHDRAWN" ]]; then
    consent=withdrawn
    withdrawn_count=$((withdrawn_count + 1))
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$clip_id" "$file" "$asr" "$consent" en-US "$reference" "$source_name" >>"$TMP/clips.tsv"
done

# --- Checks --------------------------------------------------------------------------------
[[ $withdrawn_count -eq 1 ]] || die "expected exactly one withdrawn clip, got $withdrawn_count"
# Seven fields on every line (so no stray tab), printable ASCII only (so no newline inside a field).
awk -F'\t' 'NF != 7 { print "line " NR " has " NF " fields"; bad = 1 } END { exit bad }' "$TMP/clips.tsv" ||
  die "clips.tsv is malformed"
! LC_ALL=C grep -n '[^[:print:]	]' "$TMP/clips.tsv" || die "clips.tsv has non-printable or non-ASCII text"
ids=$(cut -f1 "$TMP/clips.tsv" | tail -n +2)
[[ $(sort -u <<<"$ids" | wc -l) -eq ${#PROMPTS[@]} ]] || die "clip ids collide"
for f in "$CLIP_DIR"/*.opus; do
  opusinfo "$f" >/dev/null 2>&1 || die "$f does not decode"
done

mv "$TMP/clips.tsv" "$TSV"
echo "wrote ${#PROMPTS[@]} clips ($(du -sk "$CLIP_DIR" | cut -f1) KB) to ${CLIP_DIR#"$ROOT"/} and ${TSV#"$ROOT"/}"
