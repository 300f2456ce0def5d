/**
 * Plain text made safe for Markdown: the facts carry text typed by people (an incident
 * title, a nature, a contact) that must read as typed, never become a heading, a link or
 * HTML once the document is rendered (a `<script>` in a title stays text).
 */
const inlineSpecials = /[\\`*_[\]<>#|~&]/g;
/** Line breaks and ordinary spaces collapse; no-break spaces (French figures, « ») are typography and stay. */
const breakingSpace = /[^\S\u00a0\u2007\u202f]+/g;
/** What only means something at the start of a line: list markers, numbered items, setext rules. */
const leadingMarker = /^([-+=]|\d+(?=[.)]))/;

export function escapeMarkdown(text: string): string {
  const oneLine = text.replace(breakingSpace, ' ').replace(/^ | $/g, '');
  return oneLine.replace(inlineSpecials, '\\$&').replace(leadingMarker, (marker) => (/^\d/.test(marker) ? `${marker}\\` : `\\${marker}`));
}
