export type { MemberFacts, NotificationFacts } from './facts.js';
export type { Block, Doc } from './doc.js';
export { memberLetter, memberLetterModel } from './member-letter.js';
export { cnilDraft } from './cnil-draft.js';
export { controllerNotice } from './controller-notice.js';
export { toMarkdown } from './markdown.js';
export { toPdf } from './pdf.js';
