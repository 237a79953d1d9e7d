#!/usr/bin/env node
// Entry of the `mailsign` command (npm start, npx mailsign ...): runs the TypeScript CLI
// through tsx, so no build step stands between a clone and a running product.
import { register } from 'tsx/esm/api';

// The SDK nags about Node 20 on every start; Lambda runs Node 22, the local stack may run 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('./mailsign.ts');
process.exitCode = await main(process.argv.slice(2));
