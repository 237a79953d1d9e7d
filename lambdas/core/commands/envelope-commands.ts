// `*CANCEL <ref>` and `*REMIND <ref>`: the reference follows the marker, or is the "Réf." of the
// subject, or comes from In-Reply-To / References when the sender replies to one of our mails
// about the envelope (the acknowledgement). Only the sender's own envelopes are found; an unknown,
// closed or someone else's reference gets a clear reply and changes nothing.
import { envelopeIdFromMessageIds } from '../envelopes/envelope-reference.ts';
import { isDomainError } from '../errors.ts';
import { personLabel, type BilingualText } from '../mail/compose-mail.ts';
import { cancelEnvelope } from '../sender-controls/cancel-envelope.ts';
import { formatDay } from '../sender-controls/control-mails.ts';
import { remindSigner } from '../sender-controls/remind-signer.ts';
import { findOwnEnvelopeByReference, type ControlledEnvelope } from '../sender-controls/sender-envelopes.ts';
import { COMMANDS_HELP, ENVELOPE_STATUS_WORDS, sendCommandReply } from './command-texts.ts';
import type { MailCommandContext } from './mail-commands.ts';

type CommandName = 'CANCEL' | 'REMIND';

/** The reference the sender meant, from the subject first, then the mail it replies to. */
export function commandReference(options: {
  name: CommandName;
  subject: string;
  inReplyTo?: string;
  references?: string | string[];
}): string | undefined {
  const afterMarker = new RegExp(`\\*${options.name}\\s*[:#]?\\s*([0-9a-f]{8,32})(?![0-9a-z])`, 'i').exec(
    options.subject,
  );
  if (afterMarker?.[1]) return afterMarker[1].toLowerCase();
  const quoted = /R[ée]f\.?\s*([0-9a-f]{8,32})(?![0-9a-z])/i.exec(options.subject);
  if (quoted?.[1]) return quoted[1].toLowerCase();
  const references = Array.isArray(options.references)
    ? options.references
    : options.references
      ? options.references.split(/\s+/)
      : [];
  return envelopeIdFromMessageIds([...(options.inReplyTo ? [options.inReplyTo] : []), ...references.reverse()]);
}

type Resolved = { envelope: ControlledEnvelope } | { result: string };

async function resolveEnvelope(context: MailCommandContext, name: CommandName): Promise<Resolved> {
  const { deps, mail, sender } = context;
  const reference = commandReference({
    name,
    subject: mail.subject ?? '',
    inReplyTo: mail.inReplyTo,
    references: mail.references,
  });
  const verb: BilingualText = name === 'CANCEL' ? { fr: 'annuler', en: 'cancel' } : { fr: 'relancer', en: 'remind' };
  if (!reference) {
    await sendCommandReply(deps, sender, {
      subject: { fr: `*${name} : référence manquante`, en: `*${name}: reference missing` },
      paragraphs: {
        fr: [
          `Pour ${verb.fr} une demande, indiquez sa référence après la commande, ` +
            `par exemple « *${name} 1a2b3c4d », ou répondez à l'accusé de réception ` +
            `de la demande avec *${name} dans le sujet. Rien n'a été modifié.`,
          COMMANDS_HELP.fr,
        ],
        en: [
          `To ${verb.en} a request, give its reference after the command, for ` +
            `example "*${name} 1a2b3c4d", or reply to the request's acknowledgement ` +
            `with *${name} in the subject. Nothing was changed.`,
          COMMANDS_HELP.en,
        ],
      },
    });
    return { result: 'no-reference' };
  }
  const envelope = await findOwnEnvelopeByReference({ deps, email: sender.email, reference });
  if (!envelope) {
    const shown = reference.slice(0, 8);
    await sendCommandReply(deps, sender, {
      subject: { fr: `*${name} : référence inconnue ${shown}`, en: `*${name}: unknown reference ${shown}` },
      paragraphs: {
        fr: [
          `Aucune de vos demandes de signature n'a la référence « ${shown} ». Rien ` +
            "n'a été modifié. Envoyez *STATUS pour recevoir la liste de vos demandes " +
            'et leurs références.',
        ],
        en: [
          `None of your signature requests has the reference "${shown}". Nothing ` +
            'was changed. Send *STATUS to receive the list of your requests and ' +
            'their references.',
        ],
      },
    });
    return { result: 'unknown-reference' };
  }
  return { envelope };
}

async function replyClosed(
  context: MailCommandContext,
  name: CommandName,
  envelope: ControlledEnvelope,
  status: string,
) {
  const words = ENVELOPE_STATUS_WORDS[status as keyof typeof ENVELOPE_STATUS_WORDS] ?? { fr: status, en: status };
  const allSigned = status === 'finalizing' || status === 'completed' || status === 'failed';
  const allSignedNote = {
    fr: allSigned ? ' Tous les signataires avaient déjà signé : vous recevrez les documents certifiés.' : '',
    en: allSigned ? ' Every signer had already signed: you will receive the certified documents.' : '',
  };
  await sendCommandReply(context.deps, context.sender, {
    subject: {
      fr: `*${name} impossible : ${envelope.subject}`,
      en: `*${name} not possible: ${envelope.subject}`,
    },
    paragraphs: {
      fr: [
        `La demande « ${envelope.subject} » n'est plus en cours : elle ` +
          `est ${words.fr}.${allSignedNote.fr} ` +
          "Rien n'a été modifié.",
      ],
      en: [
        `The request "${envelope.subject}" is no longer in progress: it ` +
          `is ${words.en}.${allSignedNote.en} ` +
          'Nothing was changed.',
      ],
    },
    envelopeId: envelope.id,
  });
  return `closed (${status})`;
}

export async function runCancelCommand(context: MailCommandContext): Promise<string> {
  const resolved = await resolveEnvelope(context, 'CANCEL');
  if ('result' in resolved) return resolved.result;
  try {
    // The confirmation to the sender is part of the cancellation (the same mail as from the area).
    await cancelEnvelope({ deps: context.deps, envelope: resolved.envelope, by: 'mail' });
    return 'cancelled';
  } catch (error) {
    if (!isDomainError(error, 'ENVELOPE_CLOSED')) throw error;
    return replyClosed(context, 'CANCEL', resolved.envelope, String(error.details.envelopeStatus));
  }
}

export async function runRemindCommand(context: MailCommandContext): Promise<string> {
  const { deps, sender } = context;
  const resolved = await resolveEnvelope(context, 'REMIND');
  if ('result' in resolved) return resolved.result;
  const { envelope } = resolved;
  try {
    const sent = await remindSigner({ deps, envelope, trigger: 'mail' });
    const who = personLabel(sent.signer);
    await sendCommandReply(deps, sender, {
      subject: { fr: `Rappel envoyé : ${envelope.subject}`, en: `Reminder sent: ${envelope.subject}` },
      paragraphs: {
        fr: [
          `Un rappel avec un nouveau lien de signature a été envoyé à ${who}, dont ` +
            `c'est le tour de signer « ${envelope.subject} ».`,
        ],
        en: [`A reminder with a new signing link was sent to ${who}, whose turn it is to sign "${envelope.subject}".`],
      },
      envelopeId: envelope.id,
    });
    return 'reminded';
  } catch (error) {
    if (isDomainError(error, 'ENVELOPE_CLOSED')) {
      return replyClosed(context, 'REMIND', envelope, String(error.details.envelopeStatus));
    }
    if (!isDomainError(error, 'REMIND_THROTTLED')) throw error;
    const next = String(error.details.nextReminderAt);
    const time = (locale: 'fr-FR' | 'en-GB') =>
      new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: 'UTC' }).format(new Date(next));
    await sendCommandReply(deps, sender, {
      subject: { fr: `Rappel déjà envoyé : ${envelope.subject}`, en: `Reminder already sent: ${envelope.subject}` },
      paragraphs: {
        fr: [
          `Un rappel a déjà été envoyé pour « ${envelope.subject} » il y a moins ` +
            'de 24 heures. Vous pourrez relancer à partir ' +
            `du ${formatDay(next, 'fr-FR')} à ${time('fr-FR')} (UTC). Rien n'a été ` +
            'envoyé.',
        ],
        en: [
          `A reminder was already sent for "${envelope.subject}" less than 24 ` +
            `hours ago. You can send another from ${formatDay(next, 'en-GB')} ` +
            `at ${time('en-GB')} (UTC). Nothing was sent.`,
        ],
      },
      envelopeId: envelope.id,
    });
    return 'throttled';
  }
}
