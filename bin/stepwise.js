#!/usr/bin/env node
// The `stepwise` CLI (package.json "bin"; `npx stepwise`). The CLI is TypeScript (cli/main.ts),
// run through tsx's loader like the local server, so it works straight after `npm ci`, no build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
const { processIo } = await import('../cli/io.ts');
process.exitCode = await main(process.argv.slice(2), processIo());
