// Building block of the per-function AWS composition roots (lambdas/runtime/aws/*-root.ts): a
// root names, port by port, the adapter factories its function uses, and only those modules (and
// their SDK clients) end up in that function's bundle. A port a function was not built with is a
// stand-in that fails with a clear error on first use. Adding an adapter is one factory file here,
// its port in ADAPTER_PORTS (the type check below insists) and one line in each root that needs it.
import type { AppConfig } from '../../config.ts';
import type { Deps } from '../../core/deps.ts';
import type { ServiceSettings } from '../../core/settings.ts';
import { cryptoRandom, systemClock } from '../../adapters/node/system-clock-and-random.ts';

/** Ports built from the configuration by an adapter factory (clock, random, settings are always there). */
type AdapterPort = Exclude<keyof Deps, 'clock' | 'random' | 'settings'>;

export type AwsAdapterFactory<K extends AdapterPort> = (config: AppConfig) => Deps[K];

export type AwsAdapterFactories = { [K in AdapterPort]?: AwsAdapterFactory<K> };

/** A setting this function was not deployed with (the stack gives each function what it needs). */
export class MissingDeploymentSettingError extends Error {
  constructor(options: { variable: string; purpose: string }) {
    super(`${options.variable} is not set for this function, so it cannot ${options.purpose}.`);
    this.name = 'MissingDeploymentSettingError';
  }
}

/** A port used by a function whose composition root does not build it: a wiring mistake. */
export class AdapterNotBuiltError extends Error {
  constructor(port: string) {
    super(`This function's composition root does not build the ${port} adapter (lambdas/runtime/aws/).`);
    this.name = 'AdapterNotBuiltError';
  }
}

export function toServiceSettings(config: AppConfig): ServiceSettings {
  return {
    publicUrl: config.publicUrl,
    serviceAddress: config.serviceAddress,
    serviceName: config.serviceName,
    inboundAddresses: config.inboundAddresses,
    customerDomains: config.customerDomains,
    linkTtlDays: config.linkTtlDays,
    retentionDays: config.retentionDays,
    closedAccountGraceDays: config.closedAccountGraceDays,
    remindAfterDays: config.remindAfterDays,
  };
}

const clients = new Map<string, unknown>();
let captureClient: <T>(client: T) => T = (client) => client;

/** One SDK client of a kind per execution environment, made on first use (warm calls keep its connections). */
export function sharedClient<T>(kind: string, create: () => T): T {
  if (!clients.has(kind)) clients.set(kind, captureClient(create()));
  return clients.get(kind) as T;
}

export type AwsRootOptions = {
  /** Wraps each SDK client when it is made (the Powertools Tracer, in the roots that carry it). */
  captureClient?: <T>(client: T) => T;
};

function absentPort(port: string): unknown {
  return new Proxy(
    {},
    {
      get: (_target, member) => {
        if (member === 'then') return undefined; // not a thenable
        throw new AdapterNotBuiltError(`${port}.${String(member)}`);
      },
    },
  );
}

/**
 * Members of the ports whose adapter may load on first call (every member is an async method):
 * `lazyAdapter` needs them to stand in for the adapter before its module is read.
 */
const LAZY_PORT_MEMBERS = {
  rawMail: ['put', 'get', 'delete'],
  documents: ['put', 'get', 'delete', 'createDownloadUrl'],
  mailer: ['send'],
  sms: ['send'],
  workflow: ['startFinalization'],
  digestSigner: ['signDigest', 'certificateChain'],
} as const satisfies { [K in AdapterPort]?: readonly (keyof NonNullable<Deps[K]>)[] };

export type LazyPort = keyof typeof LAZY_PORT_MEMBERS;

/**
 * An adapter factory whose module (and SDK client) is imported on the first call of a port
 * method, not when the function starts: `load` is a dynamic `import()`, which the bundler
 * (lib/constructs/function-bundle.ts) makes a separate chunk. A failed import is tried again.
 */
export function lazyAdapter<K extends LazyPort>(
  port: K,
  load: () => Promise<AwsAdapterFactory<K>>,
): AwsAdapterFactory<K> {
  return (config) => {
    let adapter: Promise<Record<string, (...args: unknown[]) => Promise<unknown>>> | undefined;
    const loaded = () =>
      (adapter ??= load()
        .then((factory) => factory(config) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)
        .catch((error: unknown) => {
          adapter = undefined;
          throw error;
        }));
    const standIn: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const member of LAZY_PORT_MEMBERS[port] as readonly string[]) {
      standIn[member] = async (...args) => {
        const target = await loaded();
        const method = target[member];
        if (!method) throw new AdapterNotBuiltError(`${port}.${member}`);
        return method.apply(target, args);
      };
    }
    return standIn as unknown as Deps[K];
  };
}

/** Every port built from the configuration: a port added to Deps must be added here (checked below). */
export const ADAPTER_PORTS = [
  'store',
  'rawMail',
  'documents',
  'mailer',
  'sms',
  'digestSigner',
  'workflow',
  'timestampAuthority',
  'revocationSource',
] as const;
type UnlistedPort = Exclude<AdapterPort, (typeof ADAPTER_PORTS)[number]>;
const everyPortListed: [UnlistedPort] extends [never] ? true : UnlistedPort = true;
void everyPortListed;

/**
 * A composition root: config -> Deps, built once per configuration (warm invocations reuse the
 * adapters and their SDK clients' connections). Each adapter is built on first use of its port.
 * The ports are enumerable getters, so `{ ...deps }` (as use cases do) carries every one of them.
 */
export function createAwsRoot(
  factories: AwsAdapterFactories,
  options: AwsRootOptions = {},
): (config: AppConfig) => Deps {
  if (options.captureClient) captureClient = options.captureClient;
  const built = new WeakMap<AppConfig, Deps>();
  return (config) => {
    const cached = built.get(config);
    if (cached) return cached;
    const deps = { clock: systemClock, random: cryptoRandom, settings: toServiceSettings(config) } as Deps;
    for (const port of ADAPTER_PORTS) {
      let adapter: unknown;
      Object.defineProperty(deps, port, {
        enumerable: true,
        get: () => {
          const factory = factories[port] as ((c: AppConfig) => unknown) | undefined;
          adapter ??= factory ? factory(config) : absentPort(port);
          return adapter;
        },
      });
    }
    built.set(config, deps);
    return deps;
  };
}
