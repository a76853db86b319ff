#!/usr/bin/env node
// Makes the folder of the AWS SDK that Node.js functions see (dist/src/functions/runtimes/node/
// node_modules: links to the SDK's dependency closure in Stratus's node_modules). Run after tsc by
// `npm run build` and `prepare`; see src/functions/engine/function-sdk.ts.
import { packageRoot } from '../dist/src/core/package-root.js';
import { FUNCTION_SDK_DIR } from '../dist/src/functions/engine/runtimes.js';
import { linkFunctionSdk } from '../dist/src/functions/engine/function-sdk.js';

const started = performance.now();
const count = linkFunctionSdk(packageRoot(), FUNCTION_SDK_DIR);
if (process.env.STRATUS_VERBOSE) console.log(`function SDK: ${count} packages linked in ${(performance.now() - started).toFixed(0)} ms`);
