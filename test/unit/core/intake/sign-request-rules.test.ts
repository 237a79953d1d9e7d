import { describe, expect, it } from 'vitest';
import { extractSigners, hasSignMarker, stripSignMarker } from '../../../../lambdas/core/intake/sign-request-rules.ts';

describe('subject marker', () => {
  it.each(['*SIGN Contrat', 'Contrat *sign', 'Re: devis *Sign pour vous', '*SIGN'])(
    'finds the marker in "%s"',
    (subject) => {
      expect(hasSignMarker(subject)).toBe(true);
    },
  );

  it.each(['SIGN Contrat', 'Contrat signé', '*SIGNATURE requise'])('finds no marker in "%s"', (subject) => {
    expect(hasSignMarker(subject)).toBe(false);
  });

  it('removes the marker and tidies what is left', () => {
    expect(stripSignMarker('*SIGN - Contrat de prestation')).toBe('Contrat de prestation');
    expect(stripSignMarker('Devis 2026 *sign')).toBe('Devis 2026');
    expect(stripSignMarker('Devis *SIGN  n° 12')).toBe('Devis n° 12');
  });
});

describe('extractSigners', () => {
  const base = { senderAddress: 'claire@agence.fr', serviceAddresses: ['sign@mailsign.test'] };

  it('orders To recipients before Cc recipients, in header order', () => {
    const signers = extractSigners({
      ...base,
      to: [
        { name: 'B', address: 'b@x.fr' },
        { name: 'A', address: 'a@x.fr' },
      ],
      cc: [{ name: 'C', address: 'c@x.fr' }],
    });
    expect(signers.map((s) => s.address)).toEqual(['b@x.fr', 'a@x.fr', 'c@x.fr']);
  });

  it('leaves out the sender, the service and duplicates, whatever the case', () => {
    const signers = extractSigners({
      ...base,
      to: [
        { name: '', address: 'SIGN@mailsign.test' },
        { name: 'A', address: 'a@x.fr' },
        { name: 'Me', address: 'Claire@Agence.fr' },
      ],
      cc: [{ name: 'A again', address: 'A@X.FR' }],
    });
    expect(signers).toEqual([{ name: 'A', address: 'a@x.fr' }]);
  });

  it('uses the address as the name when the header gives none', () => {
    expect(extractSigners({ ...base, to: [{ name: '', address: 'a@x.fr' }], cc: [] })).toEqual([
      { name: 'a@x.fr', address: 'a@x.fr' },
    ]);
  });
});
