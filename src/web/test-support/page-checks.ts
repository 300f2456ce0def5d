import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * Every Content-Security-Policy refusal the page meets, as the browser reports it to the
 * page (securitypolicyviolation) and on its console: a page that needs something its own
 * policy forbids is broken for everyone, and the report says what. Call before the first goto.
 */
export async function collectCspViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  // Runs in the page before its own scripts, through the DevTools protocol: not subject to the policy it watches.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      void (window as unknown as { reportCspViolation: (text: string) => Promise<void> }).reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy/.test(message.text())) violations.push(message.text());
  });
  return violations;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A rule axe-core found broken, with where. */
export interface AxeViolation { id: string; impact: string | null; help: string; targets: string[] }

/**
 * axe-core's serious and critical violations (WCAG 2.1 A and AA rules) of the page as it is
 * now. Its source is evaluated through the DevTools protocol, not added as a script tag: a
 * tag's inline code is exactly what the pages' policy refuses, and would itself be a report.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((node) => node.target.join(' ')) }));
  });
  return found.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}
