// SIPp phones and callers for the browser tests, as t_sipp_park.sh starts them: one SIPp per
// party, its traces in the artefacts folder, -default_behaviors abortunexp so that anything
// unexpected fails it.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER = '127.0.0.1:5060';
export const CALLER = '+33123456789 Carrier Caller';

// SIPp binds its media port and the two above it (RTP, RTCP, video): ten apart per SIP port.
const mediaPortOf = (sipPort) => 6000 + (sipPort - 5000) * 10;

export function sipp(name, scenario, { ip = '127.0.0.1', port, mediaPort, args = [], dir }) {
  const out = path.join(dir, name);
  const child = spawn('sipp', [
    SERVER, '-sf', path.join(ROOT, 'tests/sipp', scenario), '-t', 'u1', '-i', ip, '-p', String(port),
    '-mi', ip, '-mp', String(mediaPort), '-m', '1', '-timeout', '120s', '-timeout_error',
    '-default_behaviors', 'abortunexp', '-nostdin',
    '-trace_err', '-error_file', `${out}-errors.log`,
    '-trace_msg', '-message_file', `${out}-messages.log`,
    '-trace_logs', '-log_file', `${out}-log.log`,
    ...args,
  ], { stdio: ['ignore', openSync(`${out}-stdout.log`, 'w'), openSync(`${out}-stderr.log`, 'w')] });
  const done = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return {
    name,
    done,
    // The SIPp's own -trace_logs lines: what its scenario checked.
    log: () => readFile(`${out}-log.log`, 'utf8').catch(() => ''),
    messages: () => readFile(`${out}-messages.log`, 'utf8').catch(() => ''),
    kill: () => { if (child.exitCode === null) child.kill('SIGTERM'); return done; },
  };
}

// Waits until something listens on UDP `port` (a phone SIPp is ready).
export async function listening(port, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  while (Date.now() < deadline) {
    const table = await readFile('/proc/net/udp', 'utf8');
    // "  sl: local rem ...": the slot number is right-aligned, so trim before splitting.
    if (table.split('\n').some((line) => line.trim().split(/\s+/)[1]?.endsWith(`:${hex}`))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on UDP port ${port}`);
}

// USER registers sip:USER-phone@127.0.0.1:PORT, from the port its phone then listens on.
export async function register(user, port, dir) {
  const run = sipp(`register-${user}`, 'park/register.xml', {
    port, mediaPort: mediaPortOf(port), dir,
    args: ['-s', user, '-au', user, '-ap', `secret${user}`, '-auth_uri', 'demo.orbit', '-key', 'contact_user', `${user}-phone`],
  });
  const code = await run.done;
  if (code !== 0) throw new Error(`registering ${user} failed (sipp exit ${code}), see ${dir}/register-${user}-*.log`);
}

// USER's phone, in the background, once it listens.
export async function phone(name, scenario, user, port, dir, args = []) {
  const run = sipp(name, scenario, { port, mediaPort: mediaPortOf(port), dir, args: ['-s', user, ...args] });
  try {
    await listening(port);
  } catch (error) {
    await run.kill();  // it would hold the port against the next test
    throw error;
  }
  return run;
}

// The carrier calls (Orbit rings 100), in the background.
export function trunkCall(name, port, dir, scenario = 'park/uac_trunk_call.xml') {
  return sipp(name, scenario, { ip: '127.0.0.2', port, mediaPort: mediaPortOf(port), dir, args: ['-s', '0123456789'] });
}
