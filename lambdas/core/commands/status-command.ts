// `*STATUS`: one reply listing the sender's open envelopes and those closed in the last 30 days,
// most recent first (reference, subject, status, each signer's status, whose turn, expiry date).
// The mail stays readable whatever the number: at most STATUS_LIST_LIMIT envelopes, then how
// many more there are and the link to the customer area, which lists them all.
import type { Deps } from '../deps.ts';
import { envelopeReference } from '../envelopes/envelope-reference.ts';
import { listSigners, type Signer } from '../envelopes/envelope-records.ts';
import { personLabel, signatureCount, type BilingualText } from '../mail/compose-mail.ts';
import { formatDay } from '../sender-controls/control-mails.ts';
import {
  closedAt,
  effectiveStatus,
  listSenderEnvelopeIds,
  loadEnvelopes,
  type ControlledEnvelope,
} from '../sender-controls/sender-envelopes.ts';
import {
  accountAreaUrl,
  COMMANDS_HELP,
  ENVELOPE_STATUS_WORDS,
  SIGNER_STATUS_WORDS,
  sendCommandReply,
  type CommandReply,
} from './command-texts.ts';
import type { MailCommandContext } from './mail-commands.ts';

export const STATUS_LIST_LIMIT = 20;
export const STATUS_CLOSED_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export type StatusEntry = { envelope: ControlledEnvelope; signers: Signer[] };

/** Open (collecting signatures or being certified) or closed within the window. */
export function isListedInStatus(envelope: ControlledEnvelope, now: Date): boolean {
  const status = effectiveStatus(envelope, now);
  if (status === 'signing' || status === 'finalizing') return true;
  return Date.parse(closedAt(envelope)) >= now.getTime() - STATUS_CLOSED_WINDOW_DAYS * DAY_MS;
}

function describeEntry({ envelope, signers }: StatusEntry, now: Date): BilingualText {
  const status = effectiveStatus(envelope, now);
  const words = ENVELOPE_STATUS_WORDS[status];
  const signed = signers.filter((s) => s.status === 'signed').length;
  const count = signatureCount(signed, envelope.signerCount);
  const open = status === 'signing';
  const head = (lang: 'fr' | 'en') =>
    `Réf. ${envelopeReference(envelope.id)} ` +
    `— ${lang === 'fr' ? `« ${envelope.subject} »` : `"${envelope.subject}"`} ` +
    `— ${words[lang]} (${count[lang]})`;
  const line = (signer: Signer, lang: 'fr' | 'en') => {
    const turn = open && signer.status === 'pending' && signer.position === envelope.currentPosition;
    const turnWords = lang === 'fr' ? ' — à son tour' : ' — their turn';
    const colon = lang === 'fr' ? ' : ' : ': ';
    const statusWords = SIGNER_STATUS_WORDS[signer.status][lang];
    return `  ${signer.position}. ${personLabel(signer)}${colon}${statusWords}${turn ? turnWords : ''}`;
  };
  const tail = (lang: 'fr' | 'en') => {
    if (open)
      return [
        lang === 'fr'
          ? `  Expire le ${formatDay(envelope.expiresAt, 'fr-FR')}`
          : `  Expires on ${formatDay(envelope.expiresAt, 'en-GB')}`,
      ];
    if (status === 'declined' && envelope.declineReason) {
      return [
        lang === 'fr' ? `  Motif du refus : ${envelope.declineReason}` : `  Reason given: ${envelope.declineReason}`,
      ];
    }
    return [];
  };
  const block = (lang: 'fr' | 'en') => [head(lang), ...signers.map((s) => line(s, lang)), ...tail(lang)].join('\n');
  return { fr: block('fr'), en: block('en') };
}

export function composeStatusReply(options: {
  entries: StatusEntry[];
  total: number;
  now: Date;
  areaUrl: string;
}): CommandReply {
  const { entries, total, now, areaUrl } = options;
  const rest = total - entries.length;
  const described = entries.map((entry) => describeEntry(entry, now));
  const intro: BilingualText =
    total === 0
      ? {
          fr:
            "Vous n'avez aucune demande de signature en cours ni " +
            `terminée depuis ${STATUS_CLOSED_WINDOW_DAYS} jours.`,
          en: `You have no signature request in progress or closed in the last ${STATUS_CLOSED_WINDOW_DAYS} days.`,
        }
      : {
          fr:
            'Vos demandes de signature en cours et celles terminées ' +
            `depuis ${STATUS_CLOSED_WINDOW_DAYS} jours, les plus récentes d'abord ` +
            `(${total} demande${total > 1 ? 's' : ''}) :`,
          en:
            'Your signature requests in progress and those closed in the ' +
            `last ${STATUS_CLOSED_WINDOW_DAYS} days, most recent first (${total} ` +
            `request${total > 1 ? 's' : ''}):`,
        };
  const more: BilingualText | undefined =
    rest > 0
      ? {
          fr:
            `… et ${rest} autre${rest > 1 ? 's' : ''} demande${rest > 1 ? 's' : ''}, ` +
            `plus ancienne${rest > 1 ? 's' : ''} : toutes sont dans votre espace ` +
            `client, ${areaUrl}`,
          en:
            `… and ${rest} more, older request${rest > 1 ? 's' : ''}: all of them ` +
            `are in your customer area, ${areaUrl}`,
        }
      : { fr: `Votre espace client : ${areaUrl}`, en: `Your customer area: ${areaUrl}` };
  return {
    subject: { fr: 'État de vos demandes de signature', en: 'Status of your signature requests' },
    paragraphs: {
      fr: [intro.fr, ...described.map((d) => d.fr), more.fr, COMMANDS_HELP.fr],
      en: [intro.en, ...described.map((d) => d.en), more.en, COMMANDS_HELP.en],
    },
  };
}

export async function listStatusEntries(deps: Deps, email: string): Promise<{ entries: StatusEntry[]; total: number }> {
  const now = deps.clock.now();
  const envelopes = await loadEnvelopes(deps, await listSenderEnvelopeIds({ deps, email }));
  const listed = envelopes.filter((envelope) => isListedInStatus(envelope, now));
  const entries = await Promise.all(
    listed.slice(0, STATUS_LIST_LIMIT).map(async (envelope) => ({
      envelope,
      signers: await listSigners(deps.store, envelope.id),
    })),
  );
  return { entries, total: listed.length };
}

export async function runStatusCommand({ deps, sender }: MailCommandContext): Promise<string> {
  const { entries, total } = await listStatusEntries(deps, sender.email);
  await sendCommandReply(
    deps,
    sender,
    composeStatusReply({ entries, total, now: deps.clock.now(), areaUrl: accountAreaUrl(deps) }),
  );
  return `listed ${entries.length} of ${total}`;
}
