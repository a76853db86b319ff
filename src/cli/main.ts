#!/usr/bin/env node
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledFile } from '../core/package-root.js';
import { builtinServices } from '../server/builtin-services.js';
import { StartError } from '../core/start-error.js';
import type { ServiceModule } from '../server/runtime.js';
import { startStratus } from '../server/stratus.js';
import { VERSION } from '../server/version.js';
import { parseStoreUrl } from '../store/postgres/store-url.js';
import { parseCommand, USAGE, UsageError, type ParsedCommand } from './args.js';

async function main(): Promise<void> {
  let parsed: ParsedCommand;
  try {
    parsed = parseCommand(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`stratus: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (parsed.command === 'help') return void process.stdout.write(USAGE);
  if (parsed.command === 'version') return void process.stdout.write(`${VERSION}\n`);

  // `stratus start` runs from a bundle of this tree (dist/cli/, quicker to load). Extension
  // modules import Stratus's own modules (ServiceError, shapes) from the compiled tree, and a
  // class of one copy is not one of the other's: with extensions, the compiled tree runs instead.
  const compiledMain = compiledFile('cli/main.js');
  if (parsed.serviceModules.length > 0 && fileURLToPath(import.meta.url) !== compiledMain) {
    await import(pathToFileURL(compiledMain).href);
    return;
  }

  const { config } = parsed;
  let services: ServiceModule[] = [...builtinServices];
  for (const file of parsed.serviceModules) {
    const loaded = (await import(pathToFileURL(resolve(file)).href)) as { default?: ServiceModule[] };
    if (!Array.isArray(loaded.default)) throw new UsageError(`${file} must export an array of service modules as default`);
    // A loaded module replaces the built-in service of the same name (an extension or a test
    // double standing in for it); any other name adds a service.
    const added = loaded.default as ServiceModule[];
    services = [...services.filter((s) => !added.some((a) => a.name === s.name)), ...added];
  }
  const stratus = await startStratus(config, { services });
  // Handlers go in before the banner: whoever reads "listening" may signal at once.
  let signals = 0;
  const shutdown = (signal: string): void => {
    if (++signals > 1) {
      process.stderr.write(`stratus: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    process.stderr.write(`stratus: ${signal}, finishing requests in flight and closing the store\n`);
    stratus.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stratus: shutdown failed: ${(error as Error).stack}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // performance.now() counts from process start, so this includes Node's own boot and module loading.
  const ms = Math.round(performance.now());
  const where =
    config.store !== null
      ? `${parseStoreUrl(config.store).display}, ${stratus.leading() ? 'leading' : 'following the node that leads it'}`
      : config.inMemory
        ? 'in memory (nothing is kept)'
        : `${config.dataDir}/stratus.db`;
  const key = config.accessKeys[0];
  process.stdout.write(
    `Stratus ${VERSION} listening on ${stratus.url} (store: ${where}; started in ${ms} ms)\n\n` +
      `Point the AWS CLI and SDKs at it:\n` +
      `  export AWS_ENDPOINT_URL=${stratus.url}\n` +
      `  export AWS_ACCESS_KEY_ID=${key?.accessKeyId ?? 'test'}\n` +
      `  export AWS_SECRET_ACCESS_KEY=${key ? `<secret of ${key.accessKeyId}>` : 'test'}\n` +
      `  export AWS_REGION=${config.defaultRegion}\n\n`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof StartError) process.stderr.write(`stratus: ${error.message}\n`);
  else process.stderr.write(`stratus: could not start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
