import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { testVault } from '../../access/test-support/access.js';
import { listeningPlatform } from '../../access/test-support/platform.js';
import type { Database } from '../../db/database.js';
import { loadPopulation, type Population } from '../../rights/test-support/population.js';
import { collectCspViolations } from './page-checks.js';

/** Debian's chromium (apt-get install chromium); without it, the person's-eye tests are skipped. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/**
 * Headless Chromium as this machine allows it (no sandbox as root, no calls home). CI also
 * runs the suite under a shifted clock (libfaketime, preloaded): Chromium hangs under it,
 * so the browser keeps the real clock while the platform it drives runs on the shifted one.
 */
export function launchChromium(): Promise<Browser> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'LD_PRELOAD' && !name.startsWith('FAKETIME'))) as Record<string, string>;
  return chromium.launch({
    executablePath: CHROMIUM,
    env,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The platform listening on localhost (passkeys need a domain name) and a browser to drive it; `close` stops both. */
export async function browserPlatform(db: Database): Promise<{ app: FastifyInstance; origin: string; browser: Browser; close: () => Promise<void> }> {
  const { app, origin } = await listeningPlatform(db, 'localhost');
  const browser = await launchChromium();
  return { app, origin, browser, close: async () => { await browser.close(); await app.close(); } };
}

/** The platform over a loaded synthetic population (whose cards the journeys type) and a browser to drive it; `close` stops both. */
export async function populatedBrowserPlatform(db: Database): Promise<{ population: Population; origin: string; browser: Browser; close: () => Promise<void> }> {
  const vault = testVault();
  const population = await loadPopulation(db, vault);
  const { app, origin } = await listeningPlatform(db, 'localhost', vault);
  const browser = await launchChromium();
  return { population, origin, browser, close: async () => { await browser.close(); await app.close(); } };
}

/**
 * A fresh browser context for one person, logged in through the PSC stand-in from the page
 * `path`, which the login comes back to; the page's CSP reports collected from the start.
 */
export async function loggedInOn(browser: Browser, origin: string, path: string, subject: string): Promise<{ page: Page; violations: string[] }> {
  const page = await (await browser.newContext()).newPage();
  const violations = await collectCspViolations(page);
  await page.goto(`${origin}${path}`);
  await page.click('text=Se connecter avec Pro Santé Connect');
  await page.fill('input[name=identifiant]', subject);
  await page.click('button[type=submit]');
  await page.waitForURL(`${origin}${path}`);
  return { page, violations };
}

/** A platform authenticator on the page's device (DevTools protocol), present and verifying the user without a prompt. */
export async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}
