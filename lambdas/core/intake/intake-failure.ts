// What intake does with an error it did not expect, so every input ends with an outcome:
// - before the last attempt: the claim is released and the error rethrown, so the next delivery
//   (Lambda's async retries: 3 attempts in all; the local stack does the same) or the sweep
//   resumes the steps where they stopped;
// - at the last attempt (MAX_INTAKE_ATTEMPTS) the outcome `failed` is recorded, any envelope begun
//   is cancelled (links dead, nothing charged) and an authenticated sender is told the truth:
//   nobody was contacted, or, once invitations had begun, that some signers may have been.
import type { Deps } from '../deps.ts';
import { ConditionFailedError, isDomainError } from '../errors.ts';
import { envelopeKey } from '../envelopes/envelope-records.ts';
import { composeServiceMail } from '../mail/compose-mail.ts';
import { intakeMailId } from './create-envelope-steps.ts';
import {
  getInboundRecord,
  isIntakeMailSent,
  markIntakeMailSent,
  recordInboundOutcome,
  releaseInboundClaim,
  type InboundOutcome,
} from './inbound-records.ts';

export const MAX_INTAKE_ATTEMPTS = 3;

/**
 * An unexpected error while reading the message itself (MIME parsing, PDF inspection): the same
 * input fails the same way on every attempt, so it is answered at once instead of retried.
 */
export class IntakeInputError extends Error {
  constructor(cause: unknown) {
    super('The message could not be read', { cause });
    this.name = 'IntakeInputError';
  }
}

/** Runs a pure step over the message's content; its unexpected errors become IntakeInputError. */
export async function readInput<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (isDomainError(error)) throw error;
    throw new IntakeInputError(error);
  }
}

export type HandleIntakeErrorOptions = {
  deps: Deps;
  messageId: string;
  error: unknown;
  /** Set once the sender passed authentication: only then is a reply sent. */
  sender?: { name: string; email: string };
  subject: string;
  /** The envelope this message creates (it may not exist yet). */
  envelopeId: string;
  ttl: number;
};

/** Returns the final outcome, or rethrows the error when the steps must be resumed later. */
export async function handleIntakeError(options: HandleIntakeErrorOptions): Promise<InboundOutcome> {
  const { deps, messageId, error } = options;
  const record = await getInboundRecord({ store: deps.store, messageId }).catch(() => undefined);
  if (!record) throw error;
  // The failure came after the outcome was recorded (cleaning the sweep's index): the work is done.
  if (record.outcome !== undefined) return record.outcome;
  const contacting = record.envelopeId !== undefined;
  if (record.attempts < MAX_INTAKE_ATTEMPTS && !(error instanceof IntakeInputError)) {
    await releaseInboundClaim({ store: deps.store, clock: deps.clock, messageId }).catch(() => undefined);
    throw error;
  }
  try {
    await cancelEnvelope(deps, options.envelopeId);
    const code = contacting
      ? 'INTAKE_INCOMPLETE'
      : error instanceof IntakeInputError
        ? 'MAIL_UNREADABLE'
        : 'INTAKE_FAILED';
    if (options.sender) await sendFailureReply({ ...options, sender: options.sender, contacting });
    const outcome: InboundOutcome = { status: 'failed', code };
    await recordInboundOutcome({
      store: deps.store,
      clock: deps.clock,
      messageId,
      outcome,
      sender: options.sender?.email,
    });
    return outcome;
  } catch {
    // The store or the mailer is failing too: leave the claim to the next delivery or the sweep.
    await releaseInboundClaim({ store: deps.store, clock: deps.clock, messageId }).catch(() => undefined);
    throw error;
  }
}

async function cancelEnvelope(deps: Deps, envelopeId: string): Promise<void> {
  try {
    await deps.store.update(envelopeKey(envelopeId), {
      set: { status: 'cancelled', failureReason: 'intake could not be completed' },
      expect: { status: 'signing' },
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
  }
}

async function sendFailureReply(
  options: HandleIntakeErrorOptions & { sender: { name: string; email: string }; contacting: boolean },
): Promise<void> {
  const { deps, messageId, sender, subject } = options;
  const step = 'failure';
  if (await isIntakeMailSent({ store: deps.store, messageId, step })) return;
  const paragraphs = options.contacting
    ? {
        fr: [
          `Nous n'avons pas pu terminer l'envoi de votre demande de signature « ${subject} » : elle est arrêtée.`,
          'Certains signataires ont pu recevoir une invitation ; leurs liens ne ' +
            'fonctionnent plus et rien ne sera facturé. Renvoyez votre message avec ' +
            '*SIGN dans le sujet pour recommencer.',
        ],
        en: [
          `We could not finish sending your signature request "${subject}": it has been stopped.`,
          'Some signers may have received an invitation; their links no longer ' +
            'work and nothing will be charged. Send your message again with *SIGN in ' +
            'the subject to start over.',
        ],
      }
    : {
        fr: [
          `Nous n'avons pas pu traiter votre demande de signature « ${subject} » ; personne n'a été contacté.`,
          'Renvoyez-le dans quelques minutes ; si cela se reproduit, écrivez-nous en joignant ce message.',
        ],
        en: [
          `We could not process your signature request "${subject}"; nobody was contacted.`,
          'Send it again in a few minutes; if it happens again, write to us and attach this message.',
        ],
      };
  const raw = await composeServiceMail({
    from: { name: deps.settings.serviceName, address: deps.settings.serviceAddress },
    to: [{ name: sender.name, address: sender.email }],
    subject: {
      fr: `Demande de signature non traitée : ${subject}`,
      en: 'Signature request not processed',
    },
    paragraphs,
    date: deps.clock.now(),
    messageId: intakeMailId(messageId, step),
  });
  await deps.mailer.send({ from: deps.settings.serviceAddress, to: [sender.email], raw });
  await markIntakeMailSent({ store: deps.store, clock: deps.clock, messageId, step, ttl: options.ttl });
}
