// An independent RFC 3161 time-stamp authority for tests: `openssl ts -reply` behind a small HTTP
// server, with its own CA and TSA certificate made by the openssl CLI (nothing from our code).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type OpensslTsa = { url: string; caPem: string; requests: () => number; stop(): Promise<void> };

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

export async function startOpensslTsa(): Promise<OpensslTsa> {
  const dir = mkdtempSync(join(tmpdir(), 'mailsign-openssl-tsa-'));
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/O=openssl test/CN=openssl test TSA root',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  writeFileSync(
    join(dir, 'tsa.ext'),
    'basicConstraints=CA:FALSE\n' +
      'keyUsage=critical,digitalSignature,nonRepudiation\n' +
      'extendedKeyUsage=critical,timeStamping\n',
  );
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/CN=openssl test TSA'],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'tsa.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      'tsa.pem',
      '-extfile',
      'tsa.ext',
    ],
    dir,
  );
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(
    join(dir, 'tsa.cnf'),
    [
      '[ tsa ]',
      'default_tsa = tsa_config',
      '[ tsa_config ]',
      `dir = ${dir}`,
      'serial = $dir/serial',
      'signer_cert = $dir/tsa.pem',
      'certs = $dir/ca.pem',
      'signer_key = $dir/tsa.key',
      'signer_digest = sha256',
      'default_policy = 1.2.3.4.1',
      'digests = sha256',
      'accuracy = secs:1',
      'ordering = no',
      'tsa_name = no',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  let count = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      count += 1;
      const id = `${count}-${Date.now()}`;
      writeFileSync(join(dir, `${id}.tsq`), Buffer.concat(chunks));
      try {
        openssl(['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', `${id}.tsq`, '-out', `${id}.tsr`], dir);
        response.writeHead(200, { 'content-type': 'application/timestamp-reply' });
        response.end(readFileSync(join(dir, `${id}.tsr`)));
      } catch (error) {
        response.writeHead(500);
        response.end(String(error));
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    requests: () => count,
    async stop() {
      await new Promise<void>((done) => server.close(() => done()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A URL where nothing listens: a time-stamp authority that is down. */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return `http://127.0.0.1:${port}/tsa`;
}
