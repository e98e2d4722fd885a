#!/usr/bin/env node
// The `trellis` command (`npx trellis doctor`): the program tsup builds from src/cli.ts.
import '../dist/cli.js';
