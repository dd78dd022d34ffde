/** The storage contract against SQLite: a fresh temp file per test. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStorage } from './sqlite.js';
import { defineStorageContract } from './storage.contract.js';

defineStorageContract('SQLite', async () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'livedeck-contract-'));
  const file = path.join(directory, 'livedeck.db');
  return {
    open: async () => openSqliteStorage(file),
    destroy: async () => fs.rmSync(directory, { recursive: true, force: true }),
  };
});
