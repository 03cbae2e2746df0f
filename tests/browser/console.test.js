// The web console against a running Orbit (tests/blackbox/browser.toml) while SIPp places real
// calls: the scenarios of issue 5's proof, in order, sharing one Orbit. Run by
// tests/blackbox/t_browser.sh (which starts Orbit); needs Debian's Chromium.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, openPage, screenshot, signIn, slotCard, testSession, TOKENS } from './browser.js';
import { CALLER, phone, register, trunkCall } from './sip.js';

const SIP = path.join(ARTIFACTS, 'sip');
mkdirSync(SIP, { recursive: true });
const PHONE_100 = 5100;
const PHONE_102 = 5102;
const run = testSession();
let supervisor;  // the supervisor's page, signed in by the second test and kept

test('a wrong token is refused with Orbit\'s message', async () => {
  const page = await openPage(run.browser);
  await page.getByLabel('Access token').fill('not-a-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const error = page.getByTestId('sign-in-error');
  await error.filter({ hasText: 'invalid token' }).waitFor();
  assert.match(await error.textContent(), /Sign-in refused: invalid token/);
  assert.equal(await page.getByTestId('lots').isVisible(), false);
  await screenshot(page, 'sign-in-refused');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a call parked over SIP appears on the supervisor\'s board and its timer runs', async () => {
  supervisor = await openPage(run.browser);
  await signIn(supervisor, TOKENS.supervisor);
  assert.equal(await supervisor.locator('article.slot').count(), 0, 'the lot starts empty');

  await register('100', PHONE_100, SIP);
  const parker = await phone('parker', 'park/uas_parker.xml', '100', PHONE_100, SIP,
    ['-m', '2', '-key', 'refer_to', '700', '-key', 'message', `Parked on 701: ${CALLER} — dial 701`]);
  const caller = trunkCall('caller-a', 5201, SIP);
  run.started(parker, caller);
  assert.equal(await parker.done, 0, 'SIPp 100 parked the caller on 701 (see artifacts/browser/sip)');
  const parkedAt = Date.now();

  const card = supervisor.getByTestId('slot-701');
  await card.waitFor({ timeout: 5000 });
  console.log(`# slot 701 shown ${Date.now() - parkedAt} ms after SIPp's park ended`);
  await card.filter({ hasText: 'Carrier Caller' }).waitFor();
  assert.match(await card.textContent(), /parked by 100/);

  const timer = supervisor.getByTestId('timer-701');
  const first = await timer.textContent();
  await supervisor.waitForFunction(
    (shown) => document.querySelector('[data-testid="timer-701"]')?.textContent !== shown, first, { timeout: 5000 });
  const later = await timer.textContent();
  assert.match(later, /^\d+:\d\d$/);
  const seconds = (text) => text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
  assert.ok(seconds(later) > seconds(first), `the timer runs: ${first} then ${later}`);
  await screenshot(supervisor, 'board-parked-over-sip');
  assert.deepEqual(supervisor.errors, []);
});

test('on a phone-sized screen the board shows the parked call without sideways scrolling', async () => {
  const page = await openPage(run.browser, { width: 390, height: 844 });
  await signIn(page, TOKENS.supervisor);
  const card = page.getByTestId('slot-701');
  await card.waitFor();
  const box = await card.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the card fits the screen: ${JSON.stringify(box)}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scroll (${overflow}px too wide)`);
  await screenshot(page, 'board-phone');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('"Take it to my phone" rings the supervisor\'s extension (102) and the slot empties', async () => {
  await register('102', PHONE_102, SIP);
  const phone102 = await phone('phone-102', 'calls/uas_answer.xml', '102', PHONE_102, SIP);
  run.started(phone102);
  await supervisor.getByTestId('slot-701').getByRole('button', { name: 'Take it to my phone' }).click();
  await supervisor.getByTestId('free-701').waitFor({ timeout: 10000 });
  assert.equal(await supervisor.getByTestId('slot-701').count(), 0);
  const log = await phone102.log();
  assert.match(log, /INVITE from Orbit/, '102\'s phone was rung');
  assert.match(await phone102.messages(), /ACK sip:/, '102 answered and Orbit acknowledged');
  assert.equal(await supervisor.getByTestId('toasts').locator('.toast-error').count(), 0);
  await screenshot(supervisor, 'board-taken-to-102');
  assert.deepEqual(supervisor.errors, []);
});

test('an agent parks its own call from the web for a colleague: the slot appears, the colleague gets a toast', async () => {
  const agent = await openPage(run.browser);
  await signIn(agent, TOKENS.agent100);
  const colleague = await openPage(run.browser, { width: 390, height: 844 });
  await signIn(colleague, TOKENS.agent101);

  await register('100', PHONE_100, SIP);
  const phone100 = await phone('phone-100', 'calls/uas_answer.xml', '100', PHONE_100, SIP);
  const caller = trunkCall('caller-b', 5202, SIP);
  run.started(phone100, caller);

  const call = agent.locator('li.call').filter({ hasText: 'talking' }).first();
  await call.waitFor({ timeout: 10000 });
  await call.getByRole('button', { name: 'Park' }).click();
  await agent.getByLabel('Colleague to notify (extension)').fill('101');
  await agent.getByLabel('Note').fill('Dupont, HR');
  await agent.getByRole('dialog').getByRole('button', { name: 'Park' }).click();

  const slot = slotCard(agent, 'Dupont, HR');
  await slot.waitFor({ timeout: 10000 });
  assert.match(await slot.textContent(), /Carrier Caller/);
  assert.equal(await agent.getByTestId('toasts').locator('.toast-error').count(), 0);
  await screenshot(agent, 'agent-parked-from-web');

  const toast = colleague.getByTestId('toast-parked-for-me');
  await toast.waitFor({ timeout: 10000 });
  assert.match(await toast.textContent(), /Carrier Caller.*parked for you|parked for you.*Carrier Caller/is);
  assert.match(await toast.textContent(), /Dupont, HR/);
  await screenshot(colleague, 'colleague-toast');
  await slotCard(supervisor, 'Dupont, HR').waitFor();
  assert.deepEqual([...agent.errors, ...colleague.errors], []);
});

test('the history page shows the figures and a chart of waits per hour', async () => {
  await supervisor.getByRole('link', { name: 'History' }).click();
  await supervisor.getByTestId('figure-parks').waitFor({ timeout: 10000 });
  const parks = Number(await supervisor.getByTestId('figure-parks').locator('.value').textContent());
  assert.ok(parks >= 2, `the parks of this run are counted (${parks})`);
  await supervisor.getByTestId('wait-chart').waitFor();
  assert.ok(await supervisor.locator('[data-testid="history"] tbody tr').count() >= 2);
  await screenshot(supervisor, 'history');
  assert.deepEqual(supervisor.errors, []);
});
