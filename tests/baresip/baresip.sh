# Driving baresip (Debian 12's softphone, 1.0) from the black-box tests (sourced, bash).
#
# One baresip instance is one config directory; every function takes that directory as its handle.
#
#   dir=$(mktemp -d)
#   bs_init "$dir" 5062 4444                   # SIP on 127.0.0.1:5062 (udp+tcp), ctrl_tcp on :4444
#   bs_account "$dir" 100 secret100            # <sip:100@127.0.0.1>;auth_pass=secret100;regint=600
#   bs_account "$dir" 101 secret101 tcp        # same over TCP (;transport=tcp)
#   bs_start "$dir"                            # background, log in $dir/baresip.log
#   bs_wait_registered "$dir" sip:100@127.0.0.1 10
#   bs_data "$dir" reginfo                     # any menu command over ctrl_tcp, data decoded
#   bs_cmd "$dir" dial sip:700@127.0.0.1       # the raw JSON response
#   bs_stop "$dir"                             # "quit" over ctrl_tcp (unregisters), then waits
#
# Headless: no audio device, no console UI. The sound comes from a WAV file (aufile; a 1 kHz
# tone written by bs_init, 8 kHz mono S16LE as G.711 needs; it is sent once, then silence), the
# player is aubridge (a sink nobody reads), and with BS_SNDFILE=1 the sndfile filter dumps what
# each call sends and receives as DIR/snd/dump-<date-time>-enc.wav and -dec.wav (8 kHz mono),
# for the audio tests to analyse. The names have a one-second resolution: one call per second.
#
# Settings, read by bs_init / bs_account / bs_start (set before calling them):
#   BS_HOST        address baresip binds SIP and ctrl_tcp to          (default 127.0.0.1)
#   BS_DOMAIN      host[:port] of the accounts' AOR = the registrar   (default 127.0.0.1)
#   BS_REGINT      registration interval in seconds, regint=          (default 600)
#   BS_AUDIO_SRC   "module,device" of the audio source                (default aufile,DIR/tone.wav)
#   BS_AUDIO_PLAY  "module,device" of the audio player                (default aubridge,sink)
#   BS_SNDFILE     1: load sndfile, dumps in DIR/snd                   (default: not loaded)
#   BS_CODECS      codec modules to load                              (default g711.so)
#   BS_TRACE       1: -s (SIP trace in the log), 2: also -v (debug)   (default 1)
#   BS_RTP_PORTS   "min-max" of baresip's RTP ports, rtp_ports         (default: baresip's own)
#
# The ctrl_tcp protocol (baresip 1.0): each message is a netstring "LEN:JSON,"; a command is
# {"command":"reginfo","params":"","token":"t1"}, its answer {"response":true,"ok":true,
# "data":"...","token":"t1"}; events ({"event":true,"type":"REGISTER_OK",...}) are sent on the
# same connection. baresip serves one ctrl_tcp connection at a time, so every bs_cmd opens its
# own: events are not kept; wait on the log (bs_wait_log) or poll with commands instead.

BS_MODULE_PATH=${BS_MODULE_PATH:-/usr/lib/baresip/modules}
BS_INSTANCES=()

# bs_available — baresip and the modules these helpers use are installed.
bs_available() {
  command -v baresip >/dev/null 2>&1 || return 1
  local m
  for m in account menu ctrl_tcp g711 aufile aubridge; do
    [ -e "$BS_MODULE_PATH/$m.so" ] || return 1
  done
}

# bs_write_tone FILE [SECONDS] [HZ] — a sine tone as 8 kHz mono S16LE WAV, what aufile feeds G.711.
bs_write_tone() {
  local file=$1 seconds=${2:-10} hz=${3:-1000}
  perl -e '
    my ($file, $secs, $hz) = @ARGV; my $rate = 8000; my $n = int($rate * $secs);
    open(my $f, ">:raw", $file) or die "$file: $!";
    print $f "RIFF", pack("V", 36 + 2 * $n), "WAVEfmt ", pack("VvvVVvv", 16, 1, 1, $rate, 2 * $rate, 2, 16),
             "data", pack("V", 2 * $n);
    print $f pack("s<", int(16000 * sin(2 * 3.14159265358979 * $hz * $_ / $rate))) for 0 .. $n - 1;
    close($f) or die "$file: $!";' "$file" "$seconds" "$hz"
}

# bs_init DIR SIP_PORT CTRL_PORT — writes DIR/config for a headless baresip (accounts file empty).
bs_init() {
  local dir=$1 sip_port=$2 ctrl_port=$3
  local host=${BS_HOST:-127.0.0.1}
  mkdir -p "$dir" || return 1
  [ "${BS_SNDFILE:-0}" = 1 ] && { mkdir -p "$dir/snd" || return 1; }
  local src=${BS_AUDIO_SRC:-}
  if [ -z "$src" ]; then
    bs_write_tone "$dir/tone.wav" 10 1000 || return 1
    src="aufile,$dir/tone.wav"
  fi
  local play=${BS_AUDIO_PLAY:-aubridge,sink}
  {
    echo "# written by tests/baresip/baresip.sh"
    echo "poll_method		epoll"
    echo "sip_listen		$host:$sip_port"
    echo "call_local_timeout	120"
    echo "call_max_calls		4"
    echo "audio_player		$play"
    echo "audio_source		$src"
    echo "audio_alert		$play"
    echo "audio_level		no"
    echo "ausrc_format		s16"
    echo "auplay_format		s16"
    echo "auenc_format		s16"
    echo "audec_format		s16"
    echo "audio_buffer		20-160"
    echo "rtp_tos			184"
    [ -n "${BS_RTP_PORTS:-}" ] && echo "rtp_ports		$BS_RTP_PORTS"
    echo "rtcp_mux		no"
    echo "jitter_buffer_delay	5-10"
    echo "rtp_stats		no"
    echo "net_interface		$host"
    echo "module_path		$BS_MODULE_PATH"
    local codec
    for codec in ${BS_CODECS:-g711.so}; do echo "module			$codec"; done
    [ "${BS_SNDFILE:-0}" = 1 ] && echo "module			sndfile.so"
    echo "module			aufile.so"
    echo "module			aubridge.so"
    echo "module_tmp		uuid.so"
    echo "module_tmp		account.so"
    echo "module_app		menu.so"
    echo "module_app		ctrl_tcp.so"
    echo "ctrl_tcp_listen		$host:$ctrl_port"
    [ "${BS_SNDFILE:-0}" = 1 ] && echo "snd_path		$dir/snd"
    # Re-dialing and the like would make the tests' outcomes depend on timing.
    echo "redial_attempts		0"
    echo "ringback_disabled	yes"
  } >"$dir/config" || return 1
  : >"$dir/accounts"
  echo "$ctrl_port" >"$dir/ctrl_port"
  echo "$host" >"$dir/ctrl_host"
}

# bs_account_line EXT PASS [TRANSPORT] [EXTRA_PARAMS] — the accounts line (printed).
# EXTRA_PARAMS (";answermode=auto;regint=0", ...) are appended; a regint or answermode there
# replaces the default one (baresip takes the first of a repeated parameter).
bs_account_line() {
  local ext=$1 pass=$2 transport=${3:-udp} extra=${4:-}
  local uri="sip:$ext@${BS_DOMAIN:-127.0.0.1}"
  [ "$transport" = udp ] || uri="$uri;transport=$transport"
  local line="<$uri>;auth_pass=$pass"
  [[ $extra == *";regint="* ]] || line="$line;regint=${BS_REGINT:-600}"
  [[ $extra == *";answermode="* ]] || line="$line;answermode=manual"
  printf '%s%s\n' "$line" "$extra"
}

# bs_account DIR EXT PASS [TRANSPORT] [EXTRA_PARAMS] — adds an account (before bs_start).
bs_account() {
  local dir=$1
  shift
  bs_account_line "$@" >>"$dir/accounts"
}

# bs_start DIR [BARESIP_ARGS...] — starts baresip in the background (stdin /dev/null, log in
# DIR/baresip.log, pid in DIR/pid) and waits until ctrl_tcp answers (10 s at most).
bs_start() {
  local dir=$1
  shift
  local -a args=(-f "$dir")
  case ${BS_TRACE:-1} in 1) args+=(-s) ;; 2) args+=(-s -v) ;; esac
  HOME="$dir" baresip "${args[@]}" "$@" </dev/null >"$dir/baresip.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$dir/pid"
  BS_INSTANCES+=("$dir")
  local _
  for _ in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "baresip ($dir) exited at start-up:"; cat "$dir/baresip.log"; return 1
    fi
    if BS_CMD_TIMEOUT=1 bs_cmd "$dir" about >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.1
  done
  echo "baresip ($dir) did not answer on ctrl_tcp:"; cat "$dir/baresip.log"; return 1
}

# bs_alive DIR — the instance still runs.
bs_alive() {
  local pid
  pid=$(cat "$1/pid" 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

bs__json_escape() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  printf '%s' "$s"
}

# bs_cmd DIR COMMAND [PARAMS] — sends one command over ctrl_tcp and prints the JSON response
# (events arriving meanwhile are skipped). Fails when nothing answers within BS_CMD_TIMEOUT (5 s).
bs_cmd() {
  local dir=$1 cmd=$2 params=${3:-}
  local port host timeout=${BS_CMD_TIMEOUT:-5}
  port=$(cat "$dir/ctrl_port") || return 1
  host=$(cat "$dir/ctrl_host") || return 1
  (
    exec 2>/dev/null  # bash reports a refused connection itself
    export LC_ALL=C  # lengths and reads in bytes
    token="t$$$RANDOM"
    json="{\"command\":\"$(bs__json_escape "$cmd")\",\"params\":\"$(bs__json_escape "$params")\",\"token\":\"$token\"}"
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf '%d:%s,' "${#json}" "$json" >&3 || exit 1
    while :; do
      IFS= read -r -t "$timeout" -d ':' -u 3 len || exit 1
      len=${len//[$'\r\n ']/}
      [[ $len =~ ^[0-9]+$ ]] || exit 1
      body=
      if [ "$len" -gt 0 ]; then IFS= read -r -t "$timeout" -N "$len" -u 3 body || exit 1; fi
      IFS= read -r -t "$timeout" -N 1 -u 3 _ || exit 1
      case $body in
        *'"response":true'*) printf '%s\n' "$body"; exit 0 ;;
      esac
    done
  )
}

# bs_json_data — on stdin a ctrl_tcp response; prints its "data" unescaped, colours removed.
bs_json_data() {
  sed -e 's/.*"data":"//' -e 's/","token":.*$//' -e 's/"}$//' \
      -e 's/\\u001[bB]\[[0-9;]*m//g' -e 's/\\n/\n/g' -e 's/\\t/\t/g' -e 's/\\"/"/g' \
      -e 's/\\\\/\\/g'
}

# bs_data DIR COMMAND [PARAMS] — the command's output as text.
bs_data() {
  local out
  out=$(bs_cmd "$@") || return 1
  printf '%s\n' "$out" | bs_json_data
}

# bs_cmd_ok DIR COMMAND [PARAMS] — the command was accepted ("ok":true).
bs_cmd_ok() {
  local out
  out=$(bs_cmd "$@") || return 1
  case $out in *'"ok":true'*) return 0 ;; *) return 1 ;; esac
}

# bs_wait_log DIR EXTENDED_REGEX [SECONDS] — waits until the log has a matching line (default 10 s).
bs_wait_log() {
  local dir=$1 re=$2 secs=${3:-10}
  local deadline=$((SECONDS + secs))
  while :; do
    grep -Eq -- "$re" "$dir/baresip.log" 2>/dev/null && return 0
    [ "$SECONDS" -ge "$deadline" ] && return 1
    bs_alive "$dir" || { grep -Eq -- "$re" "$dir/baresip.log" 2>/dev/null; return; }
    sleep 0.1
  done
}

# bs_registered DIR AOR — reginfo shows AOR (e.g. sip:100@127.0.0.1) registered ("OK").
bs_registered() {
  local dir=$1 aor=$2
  bs_data "$dir" reginfo | grep -F -- "$aor" | grep -Eq '(^|[[:space:]])OK([[:space:]]|$)'
}

# bs_wait_registered DIR AOR [SECONDS] — polls reginfo until AOR is registered (default 10 s).
bs_wait_registered() {
  local dir=$1 aor=$2 secs=${3:-10}
  local deadline=$((SECONDS + secs))
  until bs_registered "$dir" "$aor"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    bs_alive "$dir" || return 1
    sleep 0.2
  done
}

# bs_stop DIR [SECONDS] — asks baresip to quit (it unregisters first) and waits (default 10 s);
# kills it if it does not exit. Succeeds only when it exited by itself with status 0.
bs_stop() {
  local dir=$1 secs=${2:-10}
  local pid status
  pid=$(cat "$dir/pid" 2>/dev/null) || return 0
  [ -n "$pid" ] || return 0
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null; status=$?
    : >"$dir/pid"
    return "$status"
  fi
  bs_cmd "$dir" quit >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null
  local deadline=$((SECONDS + secs))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "baresip ($dir) did not quit within ${secs}s: killed"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    : >"$dir/pid"
    return 1
  fi
  wait "$pid" 2>/dev/null; status=$?
  : >"$dir/pid"
  return "$status"
}

# bs_stop_all — kills whatever instance is still running (for an EXIT trap).
bs_stop_all() {
  local dir pid
  for dir in "${BS_INSTANCES[@]}"; do
    pid=$(cat "$dir/pid" 2>/dev/null) || continue
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      sleep 0.2
      kill -KILL "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
    fi
    : >"$dir/pid"
  done
}

# --- calls (tests/blackbox/t_baresip_calls.sh) --------------------------------------------------
# Menu commands that act on the current call (baresip 1.0; `help` lists them only during a call):
#   dial 101 | accept | hangup | hold | resume | transfer sip:102@127.0.0.1 (a REFER) | listcalls

# bs_call_count DIR — prints the number of active calls (listcalls: "Active calls (N)").
bs_call_count() {
  local out n
  out=$(bs_data "$1" listcalls) || return 1
  n=$(printf '%s\n' "$out" | sed -n 's/.*Active calls (\([0-9][0-9]*\)).*/\1/p' | head -n 1)
  printf '%s\n' "${n:-0}"
}

# bs_wait_calls DIR N [SECONDS] — polls listcalls until there are N active calls (default 10 s).
bs_wait_calls() {
  local dir=$1 want=$2 secs=${3:-10}
  local deadline=$((SECONDS + secs))
  until [ "$(bs_call_count "$dir" 2>/dev/null)" = "$want" ]; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    bs_alive "$dir" || return 1
    sleep 0.1
  done
}

# bs_established DIR — listcalls shows an established call (on hold or not).
bs_established() { bs_data "$1" listcalls | grep -q 'ESTABLISHED'; }

# bs_wait_established DIR [SECONDS] — polls listcalls until a call is established (default 10 s).
bs_wait_established() {
  local dir=$1 secs=${2:-10}
  local deadline=$((SECONDS + secs))
  until bs_established "$dir" 2>/dev/null; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    bs_alive "$dir" || return 1
    sleep 0.1
  done
}

# bs_dumps DIR dec|enc — the sndfile dumps of DIR (BS_SNDFILE=1), oldest first, one a line.
# A dump is complete (its WAV header written) once its call has ended.
bs_dumps() {
  local f
  for f in "$1"/snd/dump-*-"$2".wav; do [ -e "$f" ] && printf '%s\n' "$f"; done | sort
}

# bs_log_text DIR — the log as plain text: colours, carriage returns and the call-status line
# that baresip rewrites in place ("[0:00:03] audio=.../... (bit/s)") taken out.
bs_log_text() {
  sed -e 's/\x1b\[[0-9;]*m//g' -e 's/\r$//' "$1/baresip.log" | tr '\r' '\n' |
    awk '{ n = gsub(/\[[0-9]+:[0-9][0-9]:[0-9][0-9]\] audio=[0-9]+\/[0-9]+ \(bit\/s\) */, "") }
         !(n > 0 && $0 ~ /^[[:space:]]*$/)'
}

# bs_sip_messages DIR — the SIP trace (BS_TRACE >= 1), one message a line, in order: the
# "UDP a -> b" line, the start line, the headers and the body joined by " | ", e.g.
#   UDP 127.0.0.1:5060 -> 127.0.0.1:5062 | SIP/2.0 200 OK | Via: ... | CSeq: 3 INVITE | ... | a=recvonly
bs_sip_messages() {
  bs_log_text "$1" | awk '
    /^#$/ { if (msg != "") print msg; msg = ""; inmsg = 1; blanks = 0; clen = -1; next }
    inmsg {
      if ($0 ~ /^[[:space:]]*$/) {
        blanks++
        if (blanks == 1 && clen <= 0 || blanks >= 2) { print msg; msg = ""; inmsg = 0 }
        next
      }
      if (tolower($0) ~ /^content-length:/) { clen = $2 + 0 }
      msg = (msg == "" ? $0 : msg " | " $0)
    }
    END { if (msg != "") print msg }'
}

# --- park (tests/blackbox/t_baresip_park.sh) ----------------------------------------------------

# bs_account_trunk DIR USER [DISPLAY] — an account that never registers (regint=0) and has no
# password: a carrier's gateway, which Orbit recognises by its source address (set BS_HOST to
# it). It dials full URIs (`dial sip:100@127.0.0.1`), sent straight to the host they name.
#   BS_HOST=127.0.0.2 BS_DOMAIN=127.0.0.2 bs_init DIR 5060 4440
#   bs_account_trunk DIR 0612345678 Dupont     # "Dupont" <sip:0612345678@127.0.0.2>;regint=0
bs_account_trunk() {
  local dir=$1 user=$2 display=${3:-}
  local line="<sip:$user@${BS_DOMAIN:-127.0.0.1}>;regint=0;answermode=manual"
  [ -n "$display" ] && line="\"$display\" $line"
  printf '%s\n' "$line" >>"$dir/accounts"
}
