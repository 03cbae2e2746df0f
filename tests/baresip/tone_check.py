#!/usr/bin/env python3
"""What is in a recording: a test tone, music, or silence (Python 3 standard library only).

The recording (WAV, 16-bit PCM, any rate, first channel used) is cut into blocks of 100 ms. For
each block the energy at a frequency is measured with a Goertzel filter and compared with the
block's total energy: ratio = 2 |X(f)|^2 / (N * sum x^2), 1.0 for a pure sine at f, near 0 for
audio without that frequency. A block is

  silence    its RMS is below --silence-db (default -50 dBFS; G.711 idle is far below),
  tone:F     not silent and ratio(F) >= --tone-ratio (default 0.5) for a listed frequency F,
  music      not silent and ratio(F) < --other-ratio (default 0.2) for every listed F: substantial
             energy that is none of the test tones,
  mixed      anything else (a block straddling a switch, a tone buried under other sound).

Commands (exit status 0 when the claim holds, 1 when it does not, 2 on a usage or file error):

  tone_check.py tone FILE HZ [--start S] [--end S] [--min-fraction 0.8]
      the tone HZ is present: at least that fraction of the blocks in [start, end) are tone:HZ.
  tone_check.py music FILE [--freq HZ]... [--start S] [--end S] [--min-fraction 0.6]
      music: at least that fraction of the blocks are music (not silence, none of the --freq
      tones); at most 20 % are tone blocks (music may hold an A at 440 Hz now and then, a
      relayed tone fills nearly every block); and the sound is not one steady pitch (the
      strongest frequency, swept over up to 12 blocks, takes at least two values).
  tone_check.py silence FILE [--start S] [--end S] [--min-fraction 0.9]
      at least that fraction of the blocks are silence.
  tone_check.py sequence FILE --freq HZ... SPEC...
      the labels appear in this order, each for at least SECONDS without interruption (a
      single odd block is tolerated): SPEC is LABEL:SECONDS, LABEL one of tone440 (any
      frequency), music, silence; e.g.  tone440:2 music:2 tone440:1
  tone_check.py report FILE [--freq HZ]... [--start S] [--end S]
      prints duration, overall level and the runs of labels, e.g. "0.0-3.2 tone:440".

Every command prints a one-line summary (and `report` the runs) for the test log. A claim
about a window [--start, --end) that runs past the end of the recording fails: the call (or
its audio) stopped early.
"""
import argparse
import math
import sys
import wave

BLOCK_SECONDS = 0.1


def read_wav(path):
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path}: {8 * w.getsampwidth()}-bit samples, 16-bit expected")
        rate = w.getframerate()
        channels = w.getnchannels()
        raw = w.readframes(w.getnframes())
    count = len(raw) // (2 * channels)
    samples = memoryview(raw).cast("h")
    if sys.byteorder != "little":  # WAV is little-endian
        import array
        a = array.array("h", raw)
        a.byteswap()
        samples = memoryview(a.tobytes()).cast("h")
    if channels > 1:
        samples = [samples[i * channels] for i in range(count)]
    else:
        samples = list(samples)
    return rate, samples


def goertzel_power(block, rate, hz):
    """|X(hz)|^2 of the block (generalised Goertzel: hz need not fall on a bin)."""
    coeff = 2.0 * math.cos(2.0 * math.pi * hz / rate)
    s1 = s2 = 0.0
    for x in block:
        s0 = x + coeff * s1 - s2
        s2 = s1
        s1 = s0
    return s1 * s1 + s2 * s2 - coeff * s1 * s2


def tone_ratio(block, rate, hz, energy):
    if energy <= 0.0:
        return 0.0
    return 2.0 * goertzel_power(block, rate, hz) / (len(block) * energy)


def db(rms):
    return 20.0 * math.log10(rms / 32768.0) if rms > 0 else -120.0


LATE_END_SECONDS = 1.0
MIN_BLOCKS = 10


class Block:
    __slots__ = ("start", "rms_db", "ratios", "label")


def analyse(path, freqs, start, end, args):
    rate, samples = read_wav(path)
    n = int(rate * BLOCK_SECONDS)
    first = max(0, int(start * rate)) if start is not None else 0
    last = min(len(samples), int(end * rate)) if end is not None else len(samples)
    blocks = []
    for i in range(first, last - n + 1, n):
        chunk = samples[i:i + n]
        energy = float(sum(x * x for x in chunk))
        b = Block()
        b.start = i / rate
        b.rms_db = db(math.sqrt(energy / n))
        b.ratios = {f: tone_ratio(chunk, rate, f, energy) for f in freqs}
        if b.rms_db < args.silence_db:
            b.label = "silence"
        else:
            tones = [f for f in freqs if b.ratios[f] >= args.tone_ratio]
            if tones:
                b.label = f"tone:{fmt_hz(tones[0])}"
            elif all(b.ratios[f] < args.other_ratio for f in freqs):
                b.label = "music"
            else:
                b.label = "mixed"
        blocks.append(b)
    duration = len(samples) / rate
    short = None
    # Up to one second of scheduling delay on a loaded machine (the command that ends the
    # call lands late) is tolerated, provided a second of the window was heard.
    if end is not None and (end - duration > LATE_END_SECONDS or len(blocks) < MIN_BLOCKS):
        short = (f"the recording stops at {duration:.1f} s, before the window ends "
                 f"({end:.1f} s): the call or its audio ended early")
    return rate, samples, Analysis(blocks, short)


class Analysis(list):
    """The blocks of a window; .short says why the window is not covered (or None)."""

    def __init__(self, blocks, short):
        super().__init__(blocks)
        self.short = short


def verdict(ok, blocks):
    """ok, unless the recording does not cover the window."""
    return ok and not blocks.short


def explain(ok, blocks):
    """After a summary line: why a claim failed."""
    if blocks.short:
        print(f"  {blocks.short}")
    if not ok:
        print(f"  runs: {runs_text(blocks)}")


def fmt_hz(f):
    return f"{f:g}"


def runs(blocks):
    """[(label, start_s, end_s)] of consecutive equal labels."""
    out = []
    for b in blocks:
        if out and out[-1][0] == b.label:
            out[-1][2] = b.start + BLOCK_SECONDS
        else:
            out.append([b.label, b.start, b.start + BLOCK_SECONDS])
    return out


def runs_text(blocks, limit=40):
    rs = runs(blocks)
    parts = [f"{s:.1f}-{e:.1f} {label}" for label, s, e in rs[:limit]]
    if len(rs) > limit:
        parts.append(f"... ({len(rs) - limit} more runs)")
    return "; ".join(parts) if parts else "(no audio)"


def fraction(blocks, label):
    if not blocks:
        return 0.0
    return sum(1 for b in blocks if b.label == label) / len(blocks)


def level(blocks):
    if not blocks:
        return -120.0
    return max(b.rms_db for b in blocks)


def dominant_pitch(samples, rate, block_start, n):
    """The strongest frequency (20 Hz steps, 100-3800 Hz) in one block, and its ratio."""
    i = int(block_start * rate)
    chunk = samples[i:i + n]
    energy = float(sum(x * x for x in chunk))
    best, best_ratio = 0.0, 0.0
    for hz in range(100, 3801, 20):
        r = tone_ratio(chunk, rate, hz, energy)
        if r > best_ratio:
            best, best_ratio = hz, r
    return best, best_ratio


def window_text(args):
    s = f"{args.start:.1f}s" if args.start is not None else "start"
    e = f"{args.end:.1f}s" if args.end is not None else "end"
    return f"[{s}, {e})"


def cmd_tone(args):
    freqs = [args.hz] + [f for f in args.freq if f != args.hz]
    _, _, blocks = analyse(args.file, freqs, args.start, args.end, args)
    label = f"tone:{fmt_hz(args.hz)}"
    frac = fraction(blocks, label)
    ok = verdict(bool(blocks) and frac >= args.min_fraction, blocks)
    print(f"{args.file} {window_text(args)}: {fmt_hz(args.hz)} Hz in {100 * frac:.0f}% of "
          f"{len(blocks)} blocks (need {100 * args.min_fraction:.0f}%), peak level "
          f"{level(blocks):.1f} dBFS -> {'tone present' if ok else 'tone ABSENT'}")
    explain(ok, blocks)
    return 0 if ok else 1


def cmd_music(args):
    rate, samples, blocks = analyse(args.file, args.freq, args.start, args.end, args)
    music = fraction(blocks, "music")
    tones = sum(1 for b in blocks if b.label.startswith("tone:")) / len(blocks) if blocks else 0.0
    # Not one steady pitch: the strongest frequency of the music blocks (up to 12 of them, spread
    # over the window) must take several values.
    music_blocks = [b for b in blocks if b.label == "music"]
    step = max(1, len(music_blocks) // 12)
    pitches = [dominant_pitch(samples, rate, b.start, int(rate * BLOCK_SECONDS))
               for b in music_blocks[::step][:12]]
    distinct = len({hz for hz, _ in pitches})
    varied = distinct >= 2
    ok = verdict(bool(blocks) and music >= args.min_fraction and tones <= 0.2 and varied, blocks)
    print(f"{args.file} {window_text(args)}: music in {100 * music:.0f}% of {len(blocks)} blocks "
          f"(need {100 * args.min_fraction:.0f}%), test tones in {100 * tones:.0f}% (at most 20%), "
          f"{distinct} distinct dominant pitches in {len(pitches)} sampled blocks (need 2), "
          f"peak level {level(blocks):.1f} dBFS -> {'music' if ok else 'NOT music'}")
    explain(ok, blocks)
    return 0 if ok else 1


def cmd_silence(args):
    _, _, blocks = analyse(args.file, args.freq, args.start, args.end, args)
    frac = fraction(blocks, "silence")
    ok = verdict(bool(blocks) and frac >= args.min_fraction, blocks)
    print(f"{args.file} {window_text(args)}: silence in {100 * frac:.0f}% of {len(blocks)} blocks "
          f"(need {100 * args.min_fraction:.0f}%), peak level {level(blocks):.1f} dBFS -> "
          f"{'silence' if ok else 'NOT silence'}")
    explain(ok, blocks)
    return 0 if ok else 1


def parse_spec(spec):
    label, _, secs = spec.rpartition(":")
    if not label:
        raise ValueError(f"bad SPEC {spec!r} (LABEL:SECONDS)")
    if label.startswith("tone") and not label.startswith("tone:"):
        label = "tone:" + label[4:]
    try:
        return label, float(secs)
    except ValueError:
        raise ValueError(f"bad SPEC {spec!r} (LABEL:SECONDS)") from None


def find_stretch(blocks, begin, label, seconds):
    """Index after the first stretch of `label` lasting `seconds`, starting at or after
    `begin`; one odd block inside the stretch is tolerated. None if there is none."""
    need = max(1, round(seconds / BLOCK_SECONDS))
    i = begin
    while i < len(blocks):
        if blocks[i].label != label:
            i += 1
            continue
        j, good, odd = i, 0, 0
        while j < len(blocks):
            if blocks[j].label == label:
                good += 1
                odd = 0
            else:
                odd += 1
                if odd > 1:
                    break
            j += 1
            if good >= need:
                return j
        i += 1
    return None


def cmd_sequence(args):
    _, _, blocks = analyse(args.file, args.freq, args.start, args.end, args)
    specs = [parse_spec(s) for s in args.spec]
    pos, ok, found = 0, True, []
    for label, secs in specs:
        nxt = find_stretch(blocks, pos, label, secs)
        if nxt is None:
            ok = False
            found.append(f"{label}>={secs:g}s NOT FOUND after {pos * BLOCK_SECONDS:.1f}s")
            break
        found.append(f"{label}>={secs:g}s by {nxt * BLOCK_SECONDS:.1f}s")
        pos = nxt
    ok = verdict(ok, blocks)
    print(f"{args.file} {window_text(args)}: {', '.join(found)} -> "
          f"{'sequence found' if ok else 'sequence NOT found'}")
    explain(ok, blocks)
    return 0 if ok else 1


def cmd_report(args):
    rate, samples, blocks = analyse(args.file, args.freq, args.start, args.end, args)
    print(f"{args.file}: {len(samples) / rate:.1f} s at {rate} Hz, peak block level "
          f"{level(blocks):.1f} dBFS")
    print(f"  runs: {runs_text(blocks, limit=200)}")
    return 0


def main(argv):
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--start", type=float, help="seconds from the start of the file")
    common.add_argument("--end", type=float, help="seconds from the start of the file")
    common.add_argument("--freq", type=float, action="append", default=[],
                        help="a test tone's frequency (repeat)")
    common.add_argument("--silence-db", type=float, default=-50.0)
    common.add_argument("--tone-ratio", type=float, default=0.5)
    common.add_argument("--other-ratio", type=float, default=0.2)
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("tone", parents=[common])
    t.add_argument("file")
    t.add_argument("hz", type=float)
    t.add_argument("--min-fraction", type=float, default=0.8)
    t.set_defaults(run=cmd_tone)
    m = sub.add_parser("music", parents=[common])
    m.add_argument("file")
    m.add_argument("--min-fraction", type=float, default=0.6)
    m.set_defaults(run=cmd_music)
    s = sub.add_parser("silence", parents=[common])
    s.add_argument("file")
    s.add_argument("--min-fraction", type=float, default=0.9)
    s.set_defaults(run=cmd_silence)
    q = sub.add_parser("sequence", parents=[common])
    q.add_argument("file")
    q.add_argument("spec", nargs="+")
    q.set_defaults(run=cmd_sequence)
    r = sub.add_parser("report", parents=[common])
    r.add_argument("file")
    r.set_defaults(run=cmd_report)
    args = p.parse_args(argv)
    try:
        return args.run(args)
    except (OSError, EOFError, ValueError, wave.Error) as e:
        print(f"tone_check: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
