/**
 * The baseline form of the Teams side, as Adaptive Cards 1.5: the "Register a standard" opener the bot answers
 * `sop new` with, and the form (key, title, owner, the text of v1.0 in Markdown, a link to the document) shown in a
 * task module. Pure functions: what to show in, a card out.
 */
import { SOP_TEXT_LIMITS, type SopFormErrors, type SopFormField } from '../../../domain/sop-text.ts';
import type { SopFormOptions } from '../../../services/sop-text.ts';
import type { AdaptiveCard } from '../cards.ts';
import { CARD_ACTIONS, SOP_FORM_INPUTS as INPUT } from '../ids.ts';
import { card, choiceSet, FormLayout, heading, note, openerCard, submitButton, textInput } from './elements.ts';

export const SOP_FORM_TITLE = 'Register a standard';

/** `sop new [key]`: the card whose button opens the form, with the key typed after the command, if any. */
export function sopOpenerCard(key?: string): AdaptiveCard {
  return openerCard(
    SOP_FORM_TITLE,
    'Open the form to register a standard already in use as its v1.0: its text, and a link to its document if it is kept elsewhere.',
    SOP_FORM_TITLE,
    { coeAction: CARD_ACTIONS.openSopForm, ...(key ? { value: key } : {}) },
  );
}

export interface SopFormState {
  options: SopFormOptions;
  /** As the card's inputs hold them: text, the owner as a person id. */
  values: Partial<Record<SopFormField, string>>;
  errors?: SopFormErrors;
}

export function sopFormCard(state: SopFormState): AdaptiveCard {
  const { options, values } = state;
  const layout = new FormLayout(state.errors);
  layout.input(
    textInput(INPUT.key, 'Key (letters, digits and dashes)', 60, {
      value: values.key,
      placeholder: 'inventory-scanning',
      required: 'Give the standard a key, like inventory-scanning.',
    }),
  );
  layout.input(
    textInput(INPUT.title, 'Title', SOP_TEXT_LIMITS.title, {
      value: values.title,
      placeholder: 'Inventory scanning',
      required: 'Give the standard a title.',
    }),
  );
  if (options.owners.length > 0) {
    layout.input(
      choiceSet(
        INPUT.owner,
        'Owner (keeps the standard)',
        options.owners.map((o) => ({ title: o.name, value: String(o.id) })),
        { value: values.owner, placeholder: 'Me' },
      ),
    );
  }
  layout.input(
    textInput(INPUT.text, 'Text of v1.0 (Markdown)', SOP_TEXT_LIMITS.text, {
      value: values.text,
      multiline: true,
      placeholder: 'Purpose, steps with who does them, checklist ("- [ ] …"), templates, tool configuration',
    }),
  );
  layout.input(
    textInput(INPUT.link, 'Link to the document (Confluence, SharePoint, Google Docs)', SOP_TEXT_LIMITS.link, {
      value: values.link,
      placeholder: 'https://…',
    }),
  );
  const body = [
    heading(SOP_FORM_TITLE),
    note('It stays as v1.0: only a release of approved change requests makes the next version.'),
    ...layout.problems(),
    ...layout.fields,
  ];
  return card(body, [submitButton('Register', { coeAction: CARD_ACTIONS.submitSop })], SOP_FORM_TITLE);
}
