/**
 * The `sop new` form as a Slack modal: key, title, owner, the text of v1.0 (Markdown) and a link to the document
 * where the organisation keeps it; and the modal that confirms it. Slack's text input takes 3,000 characters, so the
 * text goes on in up to three more boxes. Pure functions.
 */
import type { KnownBlock, ModalView } from '@slack/web-api';
import type { Message } from '../../../domain/message.ts';
import { SOP_TEXT_LIMITS } from '../../../domain/sop-text.ts';
import type { SopFormOptions } from '../../../services/sop-text.ts';
import { SOP_FORM_BLOCKS, SOP_TEXT_PARTS, VIEWS } from '../ids.ts';
import { messageView, text, textInput, userInput } from './inputs.ts';

const TITLE = 'Register a standard';
const B = SOP_FORM_BLOCKS;
/** Slack's longest text input. */
export const SLACK_TEXT_BOX = 3000;

export function sopFormView(_options: SopFormOptions, prefill: { key?: string | undefined } = {}): ModalView {
  const blocks: KnownBlock[] = [
    textInput(B.key, 'Key', 60, {
      placeholder: 'inventory-scanning',
      hint: 'Letters, digits and dashes: how people name it, as in SOP-inventory-scanning.',
      initial: prefill.key,
    }),
    textInput(B.title, 'Title', SOP_TEXT_LIMITS.title, { placeholder: 'Inventory scanning' }),
    userInput(B.owner, 'Owner', { optional: true, hint: 'Who keeps the standard. Empty: you.' }),
    textInput(B.text, 'Text of v1.0 (Markdown)', SLACK_TEXT_BOX, {
      multiline: true,
      optional: true,
      hint: 'Purpose, steps with who does them, checklist ("- [ ] …"), templates, tool configuration. It stays as v1.0: only a release of approved changes makes the next version.',
    }),
    ...SOP_TEXT_PARTS.map((block, i) =>
      textInput(block, `Text, continued (${i + 2})`, SLACK_TEXT_BOX, {
        multiline: true,
        optional: true,
        hint: 'Only for a text over 3,000 characters (Slack’s limit per box): go on here, starting on a new line.',
      }),
    ),
    textInput(B.link, 'Link to the document', SOP_TEXT_LIMITS.link, {
      optional: true,
      placeholder: 'https://…',
      hint: 'Where the organisation keeps it (Confluence, SharePoint, Google Docs), if it does.',
    }),
  ];
  return {
    type: 'modal',
    callback_id: VIEWS.sopForm,
    title: text(TITLE),
    submit: text('Register'),
    close: text('Cancel'),
    blocks,
  };
}

/** The confirmation (or an answer) in place of the form. */
export function sopMessageView(message: Message, close?: string): ModalView {
  return messageView(message, { title: TITLE, callbackId: VIEWS.sopConfirmation, ...(close ? { close } : {}) });
}
