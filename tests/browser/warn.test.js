// The colour thresholds of a lot: a parked call turns amber after the lot's warn_after_ms. Run by
// tests/blackbox/t_browser.sh against Orbit on browser.toml with `warn_after = 4` in the lot.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, openPage, screenshot, signIn, testSession, TOKENS } from './browser.js';
import { CALLER, phone, register, trunkCall } from './sip.js';

const SIP = path.join(ARTIFACTS, 'sip-warn');
mkdirSync(SIP, { recursive: true });
const run = testSession();

test('a parked call turns amber after the lot\'s warn_after', async () => {
  const page = await openPage(run.browser);
  await signIn(page, TOKENS.supervisor);
  const lots = await page.evaluate(async () => {
    const answer = await fetch('/api/v1/lots', { headers: { Authorization: `Bearer ${sessionStorage.getItem('orbit.token')}` } });
    return answer.json();
  });
  assert.equal(lots[0].warn_after_ms, 4000, 'Orbit serves the lot\'s warn_after_ms');

  await register('100', 5100, SIP);
  const parker = await phone('parker', 'park/uas_parker.xml', '100', 5100, SIP,
    ['-m', '2', '-key', 'refer_to', '700', '-key', 'message', `Parked on 701: ${CALLER} — dial 701`]);
  const caller = trunkCall('caller', 5201, SIP);
  run.started(parker, caller);
  assert.equal(await parker.done, 0, 'SIPp 100 parked the caller on 701');

  const card = page.getByTestId('slot-701');
  await card.waitFor();
  const plain = await card.evaluate((element) => getComputedStyle(element).backgroundColor);
  await page.locator('[data-testid="slot-701"][data-wait="warn"]').waitFor({ timeout: 10000 });
  const amber = await card.evaluate((element) => getComputedStyle(element).backgroundColor);
  assert.equal(amber, 'rgb(255, 243, 196)', 'the card is amber');
  assert.notEqual(plain, amber);
  assert.match(await card.textContent(), /waiting long/, 'said in words too, not only in colour');
  await screenshot(page, 'board-amber');
  assert.deepEqual(page.errors, []);
});
