// Debian's Chromium driven by playwright-core (no browser download): launch, one signed-in page
// per user, screenshots kept as artefacts, uncaught page errors collected.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const BASE = process.env.ORBIT_URL ?? 'http://127.0.0.1:8080';
export const ARTIFACTS = process.env.BROWSER_ARTIFACTS ?? path.resolve('../artifacts/browser');
mkdirSync(ARTIFACTS, { recursive: true });

export const TOKENS = {
  supervisor: 'demo-supervisor-token',  // extension 102
  agent100: 'demo-agent-100-token',
  agent101: 'demo-agent-101-token',
};

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],  // playwright gives every launch a fresh, empty profile of its own
  });
}

// A fresh context (its own sessionStorage) and page; page.errors lists uncaught errors and
// Content-Security-Policy refusals, which a test checks is empty.
export async function openPage(browser, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|SyntaxError|TypeError/.test(message.text())) {
      page.errors.push(`console: ${message.text()}`);
    }
  });
  page.setDefaultTimeout(10000);
  await page.goto(BASE + '/');
  return page;
}

export async function signIn(page, token) {
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('lots').locator('section').first().waitFor();
  await page.locator('[data-testid="live"][data-state="live"]').waitFor();
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// The first occupied slot card on the board (optionally the one whose text includes `text`).
export function slotCard(page, text) {
  const cards = page.locator('article.slot');
  return text ? cards.filter({ hasText: text }).first() : cards.first();
}

// A test file's shared state: one browser for all its tests, and the SIPp it started (each
// `started(sipp)`), both ended after its last test. `session.browser` once the tests run.
export function testSession() {
  const session = { browser: null, sipps: [] };
  session.started = (...sipps) => session.sipps.push(...sipps);
  before(async () => { session.browser = await launch(); });
  after(async () => {
    await Promise.all(session.sipps.map((sipp) => sipp.kill()));
    await session.browser?.close();
  });
  return session;
}
