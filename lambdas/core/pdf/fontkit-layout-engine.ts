// The substitution and positioning processors of a parsed fontkit font. fontkit does not export
// them; the corrections of fontkit-fixes.ts reach them through the font's layout engine, each
// typing only the methods it replaces.
import type { Font as FontkitFont } from 'fontkit';

export type LayoutProcessors<Processor> = { GSUBProcessor?: Processor | null; GPOSProcessor?: Processor | null };

export function layoutProcessorsOf<Processor>(font: FontkitFont): LayoutProcessors<Processor> {
  const laidOut = font as unknown as { _layoutEngine?: { engine?: LayoutProcessors<Processor> } };
  return laidOut._layoutEngine?.engine ?? {};
}
