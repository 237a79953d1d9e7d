// The customer area's login: an emailed link (login token, 15 minutes, single use) exchanged for
// a session token (12 hours). Asking for a link never says whether the account exists.
import { DomainError, ConditionFailedError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import { composeServiceMail } from '../mail/compose-mail.ts';
import { ACCOUNT_PAGE } from '../settings.ts';
import { issueToken, resolveToken, spendToken } from '../tokens/link-tokens.ts';
import { accountPk, getAccount, normalizeEmail } from './account-records.ts';

export const LOGIN_TTL_SECONDS = 15 * 60;
export const SESSION_TTL_SECONDS = 12 * 3600;
/** Login mails per account and hour: a mailbox cannot be flooded through the public form. */
const LOGIN_MAILS_PER_HOUR = 5;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type RequestAccountLoginOptions = { deps: Deps; email: unknown };

/**
 * Always resolves the same way and does the same work for a known and an unknown address (same
 * reads, allowance write, token write and mail composition), so neither the answer nor its timing
 * says whether the account exists; only a known account's link is actually mailed (the token
 * issued for an unknown address is never sent anywhere and expires unused).
 */
export async function requestAccountLogin({ deps, email }: RequestAccountLoginOptions): Promise<{ accepted: true }> {
  if (typeof email !== 'string' || email.length > 254 || !EMAIL_PATTERN.test(email.trim())) {
    throw new DomainError({ code: 'BAD_REQUEST', message: 'Give a valid email address.' });
  }
  const address = normalizeEmail(email);
  const account = await getAccount(deps.store, address);
  if (!(await takeLoginMailAllowance(deps, address))) return { accepted: true };
  const { token, record } = await issueToken({ ...deps, kind: 'login', ttlSeconds: LOGIN_TTL_SECONDS, email: address });
  const link = `${deps.settings.publicUrl}/${ACCOUNT_PAGE}#t=${token}`;
  const raw = await composeServiceMail({
    from: { name: deps.settings.serviceName, address: deps.settings.serviceAddress },
    to: [{ address }],
    subject: { fr: 'Votre lien de connexion', en: 'Your sign-in link' },
    paragraphs: {
      fr: [
        'Voici votre lien de connexion à votre espace ' +
          `client ${deps.settings.serviceName} : documents signés, solde et ` +
          'historique.',
        "Il est valable 15 minutes et ne sert qu'une fois. Si vous n'avez rien demandé, ignorez ce message.",
      ],
      en: [
        `Here is your link to your ${deps.settings.serviceName} customer area: signed documents, balance and history.`,
        'It is valid for 15 minutes and works once. If you did not ask for it, ignore this message.',
      ],
    },
    action: { url: link, label: { fr: 'Ouvrir mon espace', en: 'Open my area' } },
    date: new Date(record.createdAt),
  });
  if (account) await deps.mailer.send({ from: deps.settings.serviceAddress, to: [address], raw });
  return { accepted: true };
}

async function takeLoginMailAllowance(deps: Deps, email: string): Promise<boolean> {
  const hour = deps.clock.now().toISOString().slice(0, 13);
  try {
    await deps.store.update(
      { pk: accountPk(email), sk: `LOGINMAIL#${hour}` },
      {
        add: { count: 1 },
        expectBelow: { count: LOGIN_MAILS_PER_HOUR },
        createIfMissing: true,
        set: { kind: 'login-mail-count', ttl: Math.floor(deps.clock.now().getTime() / 1000) + 7200 },
      },
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionFailedError) return false;
    throw error;
  }
}

export type OpenAccountSessionOptions = { deps: Deps; token: string | undefined };

/** Spends the login token (single use) and issues a session token. */
export async function openAccountSession({
  deps,
  token,
}: OpenAccountSessionOptions): Promise<{ token: string; expiresAt: string }> {
  const login = await resolveToken({ ...deps, token, kind: 'login' });
  try {
    await spendToken({ ...deps, token: token as string });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    throw new DomainError({
      code: 'TOKEN_INVALID',
      message: 'This sign-in link was already used. Ask for a new one.',
      cause: error,
    });
  }
  const session = await issueToken({ ...deps, kind: 'session', ttlSeconds: SESSION_TTL_SECONDS, email: login.email });
  return { token: session.token, expiresAt: session.record.expiresAt };
}

/** The customer's email for a live session token (401/410 otherwise, 401 for a token of another kind). */
export async function resolveAccountSession(options: { deps: Deps; token: string | undefined }): Promise<string> {
  const session = await resolveToken({ ...options.deps, token: options.token, kind: 'session' });
  if (!session.email)
    throw new DomainError({ code: 'TOKEN_INVALID', message: 'This session is not valid. Sign in again.' });
  return session.email;
}
